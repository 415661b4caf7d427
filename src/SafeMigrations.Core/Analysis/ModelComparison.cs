using System;
using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Analysis;

/// <summary>
/// The snapshot and the current entity model paired up: which entities and properties were removed,
/// added, kept or renamed. Computed once and shared by every model rule.
/// </summary>
internal sealed class ModelComparison
{
    public ModelComparison(EntityModel snapshot, EntityModel current)
    {
        Snapshot = snapshot ?? throw new ArgumentNullException(nameof(snapshot));
        Current = current ?? throw new ArgumentNullException(nameof(current));
        var matched = new List<EntityPair>();
        var removed = new List<EntityShape>();
        var added = current.Entities.Where(e => snapshot.Find(e.ClrName) is null).ToList();
        foreach (var entity in snapshot.Entities)
        {
            if (current.Find(entity.ClrName) is { } now)
            {
                matched.Add(new EntityPair(entity, now));
            }
            else
            {
                removed.Add(entity);
            }
        }

        // A renamed or moved class is the same entity when it keeps the table, or most of its properties.
        foreach (var entity in removed.ToList())
        {
            var renamed = added.FirstOrDefault(e => entity.IsTable && e.IsTable && SameDatabaseName(entity.TableName, e.TableName, e.TableNameIsExplicit))
                ?? added.FirstOrDefault(e => SharesMostProperties(entity, e));
            if (renamed is not null)
            {
                added.Remove(renamed);
                removed.Remove(entity);
                matched.Add(new EntityPair(entity, renamed));
            }
        }

        Matched = matched;
        Removed = removed;
        Added = added;
    }

    public EntityModel Snapshot { get; }

    public EntityModel Current { get; }

    public IReadOnlyList<EntityPair> Matched { get; }

    /// <summary>Entities of the snapshot the current model no longer has.</summary>
    public IReadOnlyList<EntityShape> Removed { get; }

    /// <summary>Entities the snapshot does not have yet.</summary>
    public IReadOnlyList<EntityShape> Added { get; }

    /// <summary>
    /// Whether two names map to the same database object. An explicit current name must match
    /// exactly; a conventional one is compared the way naming conventions rewrite it
    /// (case and underscores ignored: "DueDate" maps to "due_date" under snake_case).
    /// </summary>
    public static bool SameDatabaseName(string? snapshotName, string? currentName, bool currentIsExplicit)
    {
        if (snapshotName is null || currentName is null)
        {
            return snapshotName is null && currentName is null;
        }

        return currentIsExplicit
            ? string.Equals(snapshotName, currentName, StringComparison.Ordinal)
            : string.Equals(Fold(snapshotName), Fold(currentName), StringComparison.Ordinal);
    }

    private static bool SharesMostProperties(EntityShape before, EntityShape now)
    {
        var names = before.Properties.Where(p => !p.MayBeShadow).Select(p => p.Name).ToList();
        return names.Count > 0 && names.Count(name => now.Find(name) is not null) * 2 > names.Count;
    }

    private static string Fold(string name) =>
        new string(name.Where(c => c != '_').Select(char.ToLowerInvariant).ToArray());
}

/// <summary>One entity in both models, with its properties paired by name, then by column, then by type.</summary>
internal sealed class EntityPair
{
    public EntityPair(EntityShape snapshot, EntityShape current)
    {
        Snapshot = snapshot;
        Current = current;
        var added = current.Properties.Where(p => snapshot.Find(p.Name) is null).ToList();
        var kept = new List<PropertyPair>();
        var renamed = new List<PropertyPair>();
        var removed = new List<PropertyShape>();
        foreach (var before in snapshot.Properties)
        {
            if (current.Find(before.Name) is { } now)
            {
                kept.Add(new PropertyPair(before, now));
                continue;
            }

            // A renamed property still mapped to the old column changes nothing in the database.
            var sameColumn = added.FirstOrDefault(p => p.ColumnName is not null && ModelComparison.SameDatabaseName(before.ColumnName, p.ColumnName, p.ColumnNameIsExplicit));
            if (sameColumn is not null)
            {
                added.Remove(sameColumn);
                kept.Add(new PropertyPair(before, sameColumn));
                continue;
            }

            if (before.MayBeShadow)
            {
                continue; // EF keeps a shadow foreign key by convention
            }

            removed.Add(before);
        }

        // A removed and an added property of the same type look like a rename; among several, the closest pairs win
        // (same nullability, same max length), as EF's differ pairs columns: a required Legacy is not an optional Remarks.
        var candidates = removed
            .SelectMany(before => added.Where(p => p.IsTypeKnown && before.IsTypeKnown && string.Equals(p.NonNullableClrType, before.NonNullableClrType, StringComparison.Ordinal))
                .Select(now => (Before: before, Now: now, Score: (before.IsNullable == now.IsNullable ? 2 : 0) + (before.MaxLength == now.MaxLength ? 1 : 0))))
            .OrderByDescending(c => c.Score)
            .ToList();
        foreach (var (before, now, _) in candidates)
        {
            if (removed.Contains(before) && added.Contains(now))
            {
                removed.Remove(before);
                added.Remove(now);
                renamed.Add(new PropertyPair(before, now));
            }
        }

        Kept = kept;
        Renamed = renamed;
        Removed = removed;
        Added = added;
        AddedIndexes = current.Indexes.Where(index => !snapshot.Indexes.Any(index.Covers)).ToList();
    }

    public EntityShape Snapshot { get; }

    public EntityShape Current { get; }

    /// <summary>Properties in both models mapped to the same column (possibly under a new property name).</summary>
    public IReadOnlyList<PropertyPair> Kept { get; }

    /// <summary>A property removed and another of the same type added: EF scaffolds a rename (or a drop and an add).</summary>
    public IReadOnlyList<PropertyPair> Renamed { get; }

    public IReadOnlyList<PropertyShape> Removed { get; }

    public IReadOnlyList<PropertyShape> Added { get; }

    /// <summary>Indexes the entity has now over properties the snapshot indexes nowhere.</summary>
    public IReadOnlyList<IndexShape> AddedIndexes { get; }

    public bool TableNameChanged =>
        Snapshot.IsTable && Current.IsTable && Snapshot.TableName is not null
        && (Current.TableNameIsExplicit || Current.TableName is not null)
        && !ModelComparison.SameDatabaseName(Snapshot.TableName, Current.TableName, Current.TableNameIsExplicit);
}

/// <summary>A property as the snapshot has it and as the entity class has it now.</summary>
internal sealed record PropertyPair(PropertyShape Snapshot, PropertyShape Current)
{
    public bool TypeChanged => Snapshot.IsTypeKnown && Current.IsTypeKnown && !string.Equals(Snapshot.NonNullableClrType, Current.NonNullableClrType, StringComparison.Ordinal);

    public bool MadeRequired => Snapshot.IsNullable && !Current.IsNullable;

    public bool MadeNullable => !Snapshot.IsNullable && Current.IsNullable;

    /// <summary>A limit added where there was none, or lowered.</summary>
    public bool MaxLengthReduced => Current.MaxLength is { } now && (Snapshot.MaxLength is not { } before || now < before);

    public bool MaxLengthChanged => Snapshot.MaxLength != Current.MaxLength;

    public bool ColumnRenamed =>
        Snapshot.ColumnName is not null && Current.ColumnName is not null
        && !ModelComparison.SameDatabaseName(Snapshot.ColumnName, Current.ColumnName, Current.ColumnNameIsExplicit);

    /// <summary>The store type is configured now and differs from the snapshot's.</summary>
    public bool StoreTypeChanged =>
        Current.StoreType is { } now && Snapshot.StoreType is { } before
        && Postgres.TypeChanges.Classify(before, now) != Postgres.TypeChange.None;

    public bool Differs => TypeChanged || MadeRequired || MadeNullable || MaxLengthChanged || ColumnRenamed || StoreTypeChanged;
}
