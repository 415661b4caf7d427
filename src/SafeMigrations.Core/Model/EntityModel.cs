using System;
using System.Collections.Generic;
using System.Linq;

namespace SafeMigrations.Core.Model;

/// <summary>
/// The entity model of one DbContext as a front end sees it: either the ModelSnapshot EF last
/// generated, or the entity classes as they are now. Model rules (SM2xxx) compare the two.
/// </summary>
public sealed record EntityModel(string ContextName, IReadOnlyList<EntityShape> Entities)
{
    /// <summary>Where the DbContext is declared: SM2007 and SM2009 are reported there.</summary>
    public SourceLocation? ContextLocation { get; init; }

    public EntityShape? Find(string clrName) => Entities.FirstOrDefault(e => string.Equals(e.ClrName, clrName, StringComparison.Ordinal));
}

/// <summary>
/// One entity type. <see cref="ClrName"/> is the metadata name EF writes in snapshots
/// ("Namespace.Outer+Inner"). <see cref="TableName"/> is the mapped table: exact when
/// <see cref="TableNameIsExplicit"/> (snapshot, [Table], ToTable), otherwise the name conventions
/// start from (DbSet or class name), which a naming convention may still rewrite.
/// </summary>
public sealed record EntityShape(string ClrName, string? TableName, IReadOnlyList<PropertyShape> Properties)
{
    public bool TableNameIsExplicit { get; init; }

    public string? Schema { get; init; }

    /// <summary>The base entity type (TPH/TPT/TPC): its properties are listed on the base, not here.</summary>
    public string? BaseClrName { get; init; }

    /// <summary>Whether the entity maps to a table at all (owned types, views and keyless types may not).</summary>
    public bool IsTable { get; init; } = true;

    public SourceLocation? Location { get; init; }

    /// <summary>The indexes on the entity's table (HasIndex, [Index]), by the properties they cover.</summary>
    public IReadOnlyList<IndexShape> Indexes { get; init; } = [];

    public string DisplayName => ClrName.Substring(Math.Max(ClrName.LastIndexOf('.'), ClrName.LastIndexOf('+')) + 1);

    public PropertyShape? Find(string name) => Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
}

/// <summary>
/// One mapped scalar property. <see cref="ClrType"/> is spelled as EF spells it in snapshots
/// (C# keywords, simple type names, enums as their underlying type, "?" for nullable value types);
/// empty when unknown (a type that does not compile yet, a value converter the front end cannot read).
/// </summary>
public sealed record PropertyShape(string Name, string ClrType, bool IsNullable)
{
    public int? MaxLength { get; init; }

    /// <summary>The HasMaxLength call, when the length is configured fluently: findings about it point there, not at the property.</summary>
    public SourceLocation? MaxLengthLocation { get; init; }

    /// <summary>The IsRequired call, when the property is made required fluently: findings about it point there.</summary>
    public SourceLocation? RequiredLocation { get; init; }

    /// <summary>The mapped column: exact when <see cref="ColumnNameIsExplicit"/>, otherwise the property name conventions start from.</summary>
    public string? ColumnName { get; init; }

    public bool ColumnNameIsExplicit { get; init; }

    /// <summary>A database default (HasDefaultValue, HasDefaultValueSql) or a generated value fills existing rows.</summary>
    public bool HasDefault { get; init; }

    /// <summary>A shadow property or foreign key EF may add by convention; its absence from the class proves nothing.</summary>
    public bool MayBeShadow { get; init; }

    public SourceLocation? Location { get; init; }

    /// <summary>
    /// The column's store type when the model states it: always in a snapshot (HasColumnType), in the
    /// entity classes only where configured (HasColumnType, [Column(TypeName = …)], HasPrecision, [Precision]).
    /// </summary>
    public string? StoreType { get; init; }

    /// <summary>Where the store type is configured, for findings about it.</summary>
    public SourceLocation? StoreTypeLocation { get; init; }

    /// <summary>A default given as SQL (HasDefaultValueSql), and where it is configured.</summary>
    public string? DefaultValueSql { get; init; }

    public SourceLocation? DefaultValueSqlLocation { get; init; }

    /// <summary>The type without the nullable marker: "int?" and "int" are the same CLR type for SM2004.</summary>
    public bool IsTypeKnown => ClrType.Length > 0;

    public string NonNullableClrType => ClrType.EndsWith("?", StringComparison.Ordinal) ? ClrType.Substring(0, ClrType.Length - 1) : ClrType;
}

/// <summary>One index of an entity: the properties it covers, in order, and how it is built.</summary>
public sealed record IndexShape(IReadOnlyList<string> Properties)
{
    public bool IsUnique { get; init; }

    /// <summary>IsCreatedConcurrently() (Npgsql:CreatedConcurrently): built without blocking writes.</summary>
    public bool IsConcurrent { get; init; }

    public string? Name { get; init; }

    /// <summary>The HasIndex call or [Index] attribute.</summary>
    public SourceLocation? Location { get; init; }

    public bool Covers(IndexShape other) => Properties.SequenceEqual(other.Properties, StringComparer.Ordinal);

    public string Describe() => (IsUnique ? "unique index on " : "index on ") + string.Join(", ", Properties);
}
