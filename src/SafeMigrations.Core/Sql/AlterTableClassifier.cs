using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Model;

namespace SafeMigrations.Core.Sql;

/// <summary>ALTER TABLE [IF EXISTS] [ONLY] name action [, action …] → one operation per action.</summary>
internal static class AlterTableClassifier
{
    public static IEnumerable<SchemaChange> Classify(SqlTokenReader reader)
    {
        reader.Accept("if", "exists");
        reader.Accept("only");
        if (reader.ReadQualifiedName() is not { } table)
        {
            yield return new UnanalyzableSqlChange(reader.StatementText, "ALTER TABLE without a table name");
            yield break;
        }

        if (reader.Peek() is { Kind: SqlTokenKind.Operator, Value: "*" })
        {
            reader.Position++;
        }

        while (!reader.AtEnd)
        {
            var start = reader.Position;
            var actionTokens = reader.ReadUntilTopLevelComma();
            reader.AcceptPunctuation(',');
            var end = reader.Position;
            reader.Position = start;
            foreach (var operation in ClassifyAction(reader, table, actionTokens))
            {
                yield return operation;
            }

            reader.Position = end;
        }
    }

    private static IEnumerable<SchemaChange> ClassifyAction(SqlTokenReader reader, TableName table, IReadOnlyList<SqlToken> action)
    {
        var text = reader.TextOf(action);
        if (reader.Accept("add"))
        {
            if (reader.IsWord("constraint") || reader.IsWord("check") || reader.IsWord("foreign") || reader.IsWord("unique") || reader.IsWord("primary") || reader.IsWord("exclude"))
            {
                yield return TableConstraint(reader, table, text, action.Any(t => t.IsWord("valid") && IsPrecededByNot(action, t)));
                yield break;
            }

            reader.Accept("column");
            reader.Accept("if", "not", "exists");
            var remaining = RemainingTokens(reader, action);
            var parsed = ColumnDefinitionParser.Parse(remaining, reader);
            if (parsed is null)
            {
                yield return new UnanalyzableSqlChange(text, "column definition not understood");
                yield break;
            }

            yield return new AddColumnChange(table, parsed.Column);
            if (parsed.IsPrimaryKey)
            {
                yield return new AddPrimaryKeyChange(table.Name + "_pkey", table, [parsed.Column.Name]);
            }

            if (parsed.IsUnique)
            {
                yield return new AddUniqueConstraintChange(table.Name + "_" + parsed.Column.Name + "_key", table, [parsed.Column.Name]);
            }

            if (parsed.References is { } principal)
            {
                yield return new AddForeignKeyChange(table.Name + "_" + parsed.Column.Name + "_fkey", table, [parsed.Column.Name], principal);
            }

            if (parsed.CheckSql is not null)
            {
                yield return new AddCheckConstraintChange(table.Name + "_" + parsed.Column.Name + "_check", table, parsed.CheckSql);
            }

            yield break;
        }

        if (reader.Accept("drop"))
        {
            if (reader.Accept("constraint"))
            {
                reader.Accept("if", "exists");
                yield return new DropConstraintChange(reader.ReadIdentifier() ?? "?", table, ConstraintKind.Unknown);
                yield break;
            }

            reader.Accept("column");
            reader.Accept("if", "exists");
            yield return new DropColumnChange(table, reader.ReadIdentifier() ?? "?");
            yield break;
        }

        if (reader.Accept("alter"))
        {
            reader.Accept("column");
            var column = reader.ReadIdentifier() ?? "?";
            foreach (var operation in AlterColumn(reader, table, column, action, text))
            {
                yield return operation;
            }

            yield break;
        }

        if (reader.Accept("rename"))
        {
            if (reader.Accept("to"))
            {
                yield return new RenameTableChange(table, new TableName(reader.ReadIdentifier() ?? "?", table.Schema));
            }
            else if (reader.Accept("constraint"))
            {
                yield return new OtherStatementChange("ALTER TABLE … RENAME CONSTRAINT", true);
            }
            else
            {
                reader.Accept("column");
                var column = reader.ReadIdentifier() ?? "?";
                reader.Accept("to");
                yield return new RenameColumnChange(table, column, reader.ReadIdentifier() ?? "?");
            }

            yield break;
        }

        if (reader.Accept("validate", "constraint"))
        {
            yield return new ValidateConstraintChange(reader.ReadIdentifier() ?? "?", table);
            yield break;
        }

        if (reader.Accept("set", "tablespace"))
        {
            yield return new MaintenanceChange(MaintenanceKind.SetTablespace, table, "ALTER TABLE " + table + " " + text);
            yield break;
        }

        if (reader.Accept("set", "logged") || reader.Accept("set", "unlogged"))
        {
            yield return new MaintenanceChange(MaintenanceKind.SetLogged, table, "ALTER TABLE " + table + " " + text);
            yield break;
        }

        if (reader.Accept("set", "schema"))
        {
            yield return new RenameTableChange(table, new TableName(table.Name, reader.ReadIdentifier()));
            yield break;
        }

        if (reader.Accept("detach", "partition"))
        {
            reader.ReadQualifiedName();
            yield return new MaintenanceChange(MaintenanceKind.DetachPartition, table, "ALTER TABLE " + table + " " + text)
            {
                Concurrently = reader.IsWord("concurrently") || reader.IsWord("finalize"),
            };
            yield break;
        }

        if (reader.IsWord("enable") || reader.IsWord("disable") || reader.IsWord("owner") || reader.IsWord("replica")
            || reader.IsWord("cluster") || reader.IsWord("set") || reader.IsWord("reset") || reader.IsWord("inherit")
            || reader.IsWord("no") || reader.IsWord("attach") || reader.IsWord("force"))
        {
            var kind = (reader.IsWord("enable") || reader.IsWord("disable")) && (reader.IsWord("trigger", 1) || reader.IsWord("trigger", 2)) ? TableCommandKind.Trigger
                : reader.IsWord("attach") ? TableCommandKind.AttachPartition
                : reader.IsWord("cluster") || reader.IsWord("reset") || (reader.IsWord("set") && (reader.IsWord("without", 1) || reader.Peek(1) is { } next && next.IsPunctuation('('))) ? TableCommandKind.Settings
                : TableCommandKind.CatalogOnly;
            yield return new TableCommandChange(kind, table, "ALTER TABLE " + table + " " + text);
            yield break;
        }

        yield return new UnanalyzableSqlChange("ALTER TABLE " + table + " " + text, "ALTER TABLE action not recognised");
    }

    private static IEnumerable<SchemaChange> AlterColumn(SqlTokenReader reader, TableName table, string column, IReadOnlyList<SqlToken> action, string text)
    {
        if (reader.Accept("set", "data", "type") || reader.Accept("type"))
        {
            var typeTokens = new List<SqlToken>();
            var depth = 0;
            while (!reader.AtEnd && reader.Peek() is { } token && !token.IsWord("using") && !token.IsWord("collate") && !(depth == 0 && token.IsPunctuation(',')))
            {
                depth += token.IsPunctuation('(') ? 1 : token.IsPunctuation(')') ? -1 : 0;
                typeTokens.Add(token);
                reader.Position++;
            }

            yield return new AlterColumnChange(table, new ColumnDefinition(column) { StoreType = reader.TextOf(typeTokens) }, Old: null);
        }
        else if (reader.Accept("set", "not", "null"))
        {
            yield return new AlterColumnChange(table, new ColumnDefinition(column) { IsNullable = false }, Old: null);
        }
        else if (reader.Accept("drop", "not", "null"))
        {
            yield return new AlterColumnChange(table, new ColumnDefinition(column) { IsNullable = true }, Old: null);
        }
        else if (reader.IsWord("set") || reader.IsWord("drop") || reader.IsWord("add") || reader.IsWord("reset") || reader.IsWord("restart"))
        {
            // SET/DROP DEFAULT, storage, identity options: catalog-only changes under a brief ACCESS EXCLUSIVE;
            // statistics and attribute options under SHARE UPDATE EXCLUSIVE.
            var settings = reader.IsWord("reset") || (reader.IsWord("set") && (reader.IsWord("statistics", 1) || reader.Peek(1) is { } next && next.IsPunctuation('(')));
            yield return new TableCommandChange(settings ? TableCommandKind.Settings : TableCommandKind.CatalogOnly, table, "ALTER TABLE " + table + " " + text);
        }
        else
        {
            yield return new UnanalyzableSqlChange("ALTER TABLE " + table + " " + text, "ALTER COLUMN action not recognised");
        }
    }

    private static SchemaChange TableConstraint(SqlTokenReader reader, TableName table, string text, bool notValid)
    {
        var name = reader.Accept("constraint") ? reader.ReadIdentifier() ?? "?" : null;
        if (reader.Accept("check"))
        {
            var inner = reader.ReadParenthesized();
            return new AddCheckConstraintChange(name ?? table.Name + "_check", table, reader.TextOf(inner)) { NotValid = notValid };
        }

        if (reader.Accept("foreign", "key"))
        {
            var columns = SqlTokenReader.IdentifierList(reader.ReadParenthesized());
            reader.Accept("references");
            var principal = reader.ReadQualifiedName() ?? new TableName("?");
            var principalColumns = reader.IsPunctuation('(') ? SqlTokenReader.IdentifierList(reader.ReadParenthesized()) : [];
            return new AddForeignKeyChange(name ?? table.Name + "_fkey", table, columns, principal) { NotValid = notValid, PrincipalColumns = principalColumns };
        }

        if (reader.Accept("unique"))
        {
            reader.Accept("nulls", "not", "distinct");
            reader.Accept("nulls", "distinct");
            if (reader.Accept("using", "index"))
            {
                var index = reader.ReadIdentifier();
                return new AddUniqueConstraintChange(name ?? index ?? "?", table, []) { UsingIndex = index };
            }

            var columns = SqlTokenReader.IdentifierList(reader.ReadParenthesized());
            return new AddUniqueConstraintChange(name ?? table.Name + "_key", table, columns);
        }

        if (reader.Accept("primary", "key"))
        {
            if (reader.Accept("using", "index"))
            {
                var index = reader.ReadIdentifier();
                return new AddPrimaryKeyChange(name ?? index ?? "?", table, []) { UsingIndex = index };
            }

            var columns = SqlTokenReader.IdentifierList(reader.ReadParenthesized());
            return new AddPrimaryKeyChange(name ?? table.Name + "_pkey", table, columns);
        }

        if (reader.Accept("exclude"))
        {
            return new AddExclusionConstraintChange(name ?? table.Name + "_excl", table);
        }

        return new UnanalyzableSqlChange("ALTER TABLE " + table + " " + text, "constraint not recognised");
    }

    private static bool IsPrecededByNot(IReadOnlyList<SqlToken> tokens, SqlToken valid)
    {
        for (var i = 1; i < tokens.Count; i++)
        {
            if (tokens[i].Start == valid.Start)
            {
                return tokens[i - 1].IsWord("not");
            }
        }

        return false;
    }

    private static List<SqlToken> RemainingTokens(SqlTokenReader reader, IReadOnlyList<SqlToken> action)
    {
        var current = reader.Peek();
        return current is null ? [] : action.SkipWhile(t => t.Start < current.Value.Start).ToList();
    }
}
