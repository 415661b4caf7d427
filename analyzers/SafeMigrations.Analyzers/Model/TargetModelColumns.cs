using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Analyzers.Model;

/// <summary>
/// What a migration's target model (the BuildTargetModel EF writes into its Designer file) says about
/// the columns its operations touch, where the migration's own code is silent: whether a default was
/// configured (EF writes the same <c>defaultValue: false</c> whether the developer chose it or EF filled
/// it in) and which columns are keys (primary or foreign). Read as syntax, like the snapshot.
/// </summary>
internal sealed class TargetModelColumns : ITargetModelFacts
{
    private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal) { "Entity", "OwnsOne", "OwnsMany" };

    private readonly Dictionary<string, EntityBlock> entities = new(StringComparer.Ordinal);

    private TargetModelColumns()
    {
    }

    /// <summary>
    /// Reads the statements of BuildTargetModel and of the entity blocks in it, not every node: a real
    /// Designer repeats the whole model, thousands of lines for a large one, in every migration.
    /// </summary>
    public static TargetModelColumns Read(MethodDeclarationSyntax buildTargetModel)
    {
        var model = new TargetModelColumns();
        if (buildTargetModel.ParameterList.Parameters.Count != 1 || buildTargetModel.Body is not { } body)
        {
            return model;
        }

        var modelBuilder = buildTargetModel.ParameterList.Parameters[0].Identifier.ValueText;
        foreach (var statement in body.Statements.OfType<ExpressionStatementSyntax>())
        {
            var chain = FluentChain.Of(statement.Expression);
            if (chain.RootIdentifier == modelBuilder && chain.Calls.Count > 0)
            {
                model.ReadBlock(chain.Calls[0], owner: null);
            }
        }

        return model;
    }

    /// <summary>Entity("Ns.Type", b =&gt; …), or OwnsOne/OwnsMany("Ns.Type", "Navigation", b1 =&gt; …) inside one.</summary>
    private void ReadBlock(FluentCall call, EntityBlock? owner)
    {
        if (!Blocks.Contains(call.Name) || call.StringArgument(0) is not { } name || call.Arguments.Count == 0
            || call.Arguments[call.Arguments.Count - 1].Expression is not LambdaExpressionSyntax lambda
            || SnapshotModelReader.ParameterOf(lambda) is not { } builder)
        {
            return;
        }

        var entity = Entity(name);
        foreach (var owned in entity.Read(lambda, builder, owner))
        {
            ReadBlock(owned, entity);
        }
    }

    /// <summary>True or false when the target model has the column; null when it does not (a hand-written migration, a shape we do not read).</summary>
    public bool? IsDefaultConfigured(TableName table, string column) => IsDefaultConfigured(table.Name, table.Schema, column);

    public bool? IsKey(TableName table, string column) => IsKey(table.Name, table.Schema, column);

    public bool? IsDefaultConfigured(string table, string? schema, string column) =>
        Find(table, schema, column) is { } found ? found.Entity.DefaultConfigured.Contains(found.Property) : null;

    /// <summary>Whether the column is part of a primary or foreign key; null when the target model does not have it.</summary>
    public bool? IsKey(string table, string? schema, string column) =>
        Find(table, schema, column) is { } found ? found.Entity.Keys.Contains(found.Property) : null;

    private (EntityBlock Entity, string Property)? Find(string table, string? schema, string column)
    {
        foreach (var pass in new[] { true, false })
        {
            foreach (var entity in entities.Values)
            {
                // A block without ToTable (a derived type of a hierarchy, an owned type) maps to its owner's table.
                var matches = pass ? entity.Table == table && (entity.Schema ?? schema) == schema : entity.Table is null;
                if (matches && entity.PropertyOfColumn(column) is { } property)
                {
                    return (entity, property);
                }
            }
        }

        return null;
    }

    private EntityBlock Entity(string name)
    {
        if (!entities.TryGetValue(name, out var entity))
        {
            entities[name] = entity = new EntityBlock();
        }

        return entity;
    }

    /// <summary>One entity type, gathered from every block EF writes for it (properties first, relationships in later blocks).</summary>
    private sealed class EntityBlock
    {
        private readonly Dictionary<string, string> columns = new(StringComparer.Ordinal);

        public string? Table { get; private set; }

        public string? Schema { get; private set; }

        public HashSet<string> DefaultConfigured { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

        public string? PropertyOfColumn(string column) =>
            columns.FirstOrDefault(c => string.Equals(c.Value, column, StringComparison.Ordinal)).Key;

        /// <summary>Reads one block; returns the owned types' blocks in it, to be read with this one as owner.</summary>
        public IReadOnlyList<FluentCall> Read(LambdaExpressionSyntax lambda, string builder, EntityBlock? owner)
        {
            var owned = new List<FluentCall>();
            foreach (var chain in SnapshotModelReader.Statements(lambda).Select(FluentChain.Of).Where(c => c.RootIdentifier == builder && c.Calls.Count > 0))
            {
                var first = chain.Calls[0];
                switch (first.Name)
                {
                    case "Property" when first.StringArgument(0) is { } property:
                        columns[property] = chain.Calls.FirstOrDefault(c => c.Name == "HasColumnName")?.StringArgument(0) ?? property;
                        if (chain.Calls.Any(c => c.Name is "HasDefaultValue" or "HasDefaultValueSql"))
                        {
                            DefaultConfigured.Add(property);
                        }

                        break;
                    case "ToTable" when first.StringArgument(0) is { } table:
                        Table = table;
                        Schema = first.StringArgument(1);
                        break;
                    case "HasKey":
                        Keys.UnionWith(FluentChain.NamesOf(first));
                        break;
                    case "HasOne" or "WithOwner":
                        // EF writes each relationship from its dependent: the foreign key's properties are this entity's.
                        foreach (var foreignKey in chain.Calls.Where(c => c.Name == "HasForeignKey"))
                        {
                            Keys.UnionWith(FluentChain.NamesOf(foreignKey));
                        }

                        break;
                    case "OwnsOne" or "OwnsMany":
                        owned.Add(first);
                        break;
                }
            }

            // An owned type's block without ToTable shares its owner's table.
            if (Table is null && owner is { Table: { } ownerTable })
            {
                (Table, Schema) = (ownerTable, owner.Schema);
            }

            return owned;
        }
    }
}
