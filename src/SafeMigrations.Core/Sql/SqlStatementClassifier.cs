using System;
using System.Collections.Generic;
using System.Linq;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Core.Sql;

/// <summary>
/// Turns raw SQL into the operations the rules judge. Statements it does not understand become
/// <see cref="UnanalyzableSqlChange"/>: reported as such (SM1018), never guessed. Never throws.
/// </summary>
internal static class SqlStatementClassifier
{
    public static IReadOnlyList<SchemaChange> Classify(string? sql, SourceLocation? location = null, bool insideTransaction = true)
    {
        // SafeMigrations' own batched backfill (migrationBuilder.Backfill): its marker says what the DO block does.
        if (BackfillSql.Parse(sql?.TrimStart()!) is { } backfill)
        {
            var update = new DataChange(DataChangeKind.Update, new TableName(backfill.Table, backfill.Schema)) { HasWhereClause = true };
            return [update with { Location = location, FromSql = new SqlOrigin(sql!, 0, insideTransaction) }];
        }

        var operations = new List<SchemaChange>();
        foreach (var statement in SqlStatementSplitter.Split(sql))
        {
            IReadOnlyList<SchemaChange> classified;
            try
            {
                classified = ClassifyStatement(statement).ToList();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IndexOutOfRangeException or FormatException or OverflowException)
            {
                classified = [new UnanalyzableSqlChange(statement.Text, "could not be parsed")];
            }

            var origin = new SqlOrigin(statement.Text, statement.Index, insideTransaction);
            operations.AddRange(classified.Select(operation => operation with { Location = location, FromSql = origin }));
        }

        return operations;
    }

    private static IEnumerable<SchemaChange> ClassifyStatement(SqlStatement statement)
    {
        var reader = new SqlTokenReader(statement);
        var text = statement.Text;
        if (reader.Accept("alter", "table"))
        {
            return AlterTableClassifier.Classify(reader);
        }

        if (reader.Accept("create"))
        {
            return Create(reader, text);
        }

        if (reader.Accept("drop"))
        {
            return Drop(reader, text);
        }

        if (reader.Accept("alter"))
        {
            return [AlterOther(reader, text)];
        }

        if (reader.IsWord("update") || reader.IsWord("delete") || reader.IsWord("insert") || reader.IsWord("with") || reader.IsWord("merge"))
        {
            return [DataChange(reader, text)];
        }

        if (reader.Accept("truncate"))
        {
            return Truncate(reader, text);
        }

        if (reader.Accept("vacuum"))
        {
            var options = reader.IsPunctuation('(') ? reader.ReadParenthesized() : [];
            var full = reader.Accept("full") || options.Any(t => t.IsWord("full"));
            while (reader.Accept("freeze") || reader.Accept("verbose") || reader.Accept("analyze"))
            {
            }

            return full
                ? [new MaintenanceChange(MaintenanceKind.VacuumFull, reader.ReadQualifiedName(), text)]
                : [new OtherStatementChange("VACUUM", false)];
        }

        if (reader.Accept("cluster"))
        {
            reader.Accept("verbose");
            return [new MaintenanceChange(MaintenanceKind.Cluster, reader.ReadQualifiedName(), text)];
        }

        if (reader.Accept("reindex"))
        {
            var options = reader.IsPunctuation('(') ? reader.ReadParenthesized() : [];
            var kind = reader.ReadIdentifier();
            var concurrently = reader.Accept("concurrently") || options.Any(t => t.IsWord("concurrently"));
            var target = kind == "table" ? reader.ReadQualifiedName() : null;
            return [new MaintenanceChange(MaintenanceKind.Reindex, target, text) { Concurrently = concurrently }];
        }

        if (reader.Accept("set") || reader.Accept("reset"))
        {
            reader.Accept("session");
            reader.Accept("local");
            var name = reader.ReadIdentifier() ?? "?";
            var hasValue = reader.Accept("to");
            if (!hasValue && reader.Peek() is { Kind: SqlTokenKind.Operator, Value: "=" })
            {
                reader.Position++;
                hasValue = true;
            }

            return [new SessionSettingChange(name, hasValue ? reader.Peek()?.Value : null)];
        }

        if (reader.IsWord("begin") || reader.IsWord("start") || reader.IsWord("commit") || reader.IsWord("end")
            || reader.IsWord("rollback") || reader.IsWord("abort") || reader.IsWord("savepoint") || reader.IsWord("release"))
        {
            return [new TransactionControlChange(reader.Peek()!.Value.Value.ToUpperInvariant())];
        }

        if (reader.Accept("lock"))
        {
            return LockTable(reader, text);
        }

        if (reader.Accept("refresh", "materialized", "view"))
        {
            var concurrently = reader.Accept("concurrently");
            return reader.ReadQualifiedName() is { } view
                ? [new TableCommandChange(TableCommandKind.RefreshMaterializedView, view, text) { Concurrently = concurrently }]
                : [new UnanalyzableSqlChange(text, "REFRESH MATERIALIZED VIEW without a name")];
        }

        if (reader.Accept("comment", "on", "table") && reader.ReadQualifiedName() is { } commented)
        {
            return [new TableCommandChange(TableCommandKind.Comment, commented, text)];
        }

        if (reader.Accept("comment", "on", "column") && ColumnOwner(reader) is { } owner)
        {
            return [new TableCommandChange(TableCommandKind.Comment, owner, text)];
        }

        if (reader.IsWord("comment") || reader.IsWord("grant") || reader.IsWord("revoke") || reader.IsWord("analyze")
            || reader.IsWord("select") || reader.IsWord("notify") || reader.IsWord("listen") || reader.IsWord("security")
            || reader.IsWord("discard") || reader.IsWord("checkpoint")
            || reader.IsWord("values") || reader.IsWord("show") || reader.IsWord("explain"))
        {
            var keyword = reader.Peek()!.Value.Value.ToUpperInvariant();
            return [new OtherStatementChange(keyword, keyword is "COMMENT" or "GRANT" or "REVOKE" or "SECURITY")];
        }

        if (reader.IsWord("do"))
        {
            return [new UnanalyzableSqlChange(text, "DO block: procedural code")];
        }

        if (reader.IsWord("call"))
        {
            return [new UnanalyzableSqlChange(text, "procedure call")];
        }

        return [new UnanalyzableSqlChange(text, "statement not recognised")];
    }

    private static IEnumerable<SchemaChange> Create(SqlTokenReader reader, string text)
    {
        reader.Accept("or", "replace");
        var unique = reader.Accept("unique");
        if (reader.Accept("index"))
        {
            return [CreateIndex(reader, unique, text)];
        }

        while (reader.Accept("global") || reader.Accept("local") || reader.Accept("temporary") || reader.Accept("temp") || reader.Accept("unlogged"))
        {
        }

        if (reader.Accept("table"))
        {
            return [CreateTable(reader, text)];
        }

        if (reader.Accept("schema"))
        {
            reader.Accept("if", "not", "exists");
            return [new SchemaNamespaceChange(SchemaObjectAction.Create, reader.ReadIdentifier() ?? "?")];
        }

        if (reader.Accept("type"))
        {
            var name = reader.ReadQualifiedName() ?? new TableName("?");
            if (reader.Accept("as", "enum"))
            {
                var values = reader.ReadParenthesized().Where(t => t.Kind == SqlTokenKind.StringLiteral).Select(t => t.Value).ToList();
                return [new EnumTypeChange(SchemaObjectAction.Create, name) { NewValues = values }];
            }

            return [new OtherStatementChange("CREATE TYPE", true)];
        }

        if (reader.Accept("domain"))
        {
            var name = reader.ReadQualifiedName() ?? new TableName("?");
            return reader.ContainsWord("check")
                ? [new DomainConstraintChange(name, IsNewDomain: true)]
                : [new OtherStatementChange("CREATE DOMAIN", true)];
        }

        if (reader.Accept("extension"))
        {
            reader.Accept("if", "not", "exists");
            return [new ExtensionChange(SchemaObjectAction.Create, reader.ReadIdentifier() ?? "?")];
        }

        if (reader.Accept("sequence"))
        {
            reader.Accept("if", "not", "exists");
            return [new SequenceChange(SchemaObjectAction.Create, reader.ReadQualifiedName() ?? new TableName("?"))];
        }

        if (reader.Accept("view"))
        {
            return [new CreateViewChange(reader.ReadQualifiedName() ?? new TableName("?"))];
        }

        if (reader.IsWord("view") || reader.IsWord("materialized") || reader.IsWord("function") || reader.IsWord("procedure")
            || reader.IsWord("trigger") || reader.IsWord("constraint") || reader.IsWord("rule") || reader.IsWord("policy")
            || reader.IsWord("aggregate") || reader.IsWord("collation") || reader.IsWord("publication") || reader.IsWord("statistics")
            || reader.IsWord("role") || reader.IsWord("user") || reader.IsWord("recursive"))
        {
            return [new OtherStatementChange("CREATE " + reader.Peek()!.Value.Value.ToUpperInvariant(), true)];
        }

        return [new UnanalyzableSqlChange(text, "CREATE statement not recognised")];
    }

    private static CreateIndexChange CreateIndex(SqlTokenReader reader, bool unique, string text)
    {
        var concurrently = reader.Accept("concurrently");
        var ifNotExists = reader.Accept("if", "not", "exists");
        string name = "(unnamed)";
        if (!reader.IsWord("on"))
        {
            name = reader.ReadIdentifier() ?? name;
        }

        reader.Accept("on");
        reader.Accept("only");
        var table = reader.ReadQualifiedName() ?? new TableName("?");
        if (reader.Accept("using"))
        {
            reader.ReadIdentifier();
        }

        var columns = SqlTokenReader.IdentifierList(reader.ReadParenthesized());
        string? filter = null;
        while (!reader.AtEnd)
        {
            if (reader.Accept("where"))
            {
                var rest = new List<SqlToken>();
                while (!reader.AtEnd)
                {
                    rest.Add(reader.Peek()!.Value);
                    reader.Position++;
                }

                filter = reader.TextOf(rest);
                break;
            }

            reader.Position++;
        }

        return new CreateIndexChange(name, table, columns)
        {
            IsUnique = unique,
            Concurrently = concurrently,
            IfNotExists = ifNotExists,
            Filter = filter,
        };
    }

    private static SchemaChange CreateTable(SqlTokenReader reader, string text)
    {
        reader.Accept("if", "not", "exists");
        var name = reader.ReadQualifiedName() ?? new TableName("?");
        if (!reader.IsPunctuation('('))
        {
            // CREATE TABLE … AS / PARTITION OF / OF type: a new table all the same.
            return new CreateTableChange(name, []);
        }

        var inner = reader.ReadParenthesized();
        var parts = SplitTopLevel(inner);
        var columns = new List<ColumnDefinition>();
        var primaryKey = new List<string>();
        var constraintNames = new List<string>();
        var foreignKeys = new List<AddForeignKeyChange>();
        foreach (var part in parts)
        {
            if (part.Count == 0)
            {
                continue;
            }

            var first = part[0];
            if (first.IsWord("constraint") || first.IsWord("primary") || first.IsWord("unique") || first.IsWord("check")
                || first.IsWord("foreign") || first.IsWord("exclude") || first.IsWord("like"))
            {
                if (first.IsWord("constraint") && part.Count > 1 && part[1].IsIdentifier)
                {
                    constraintNames.Add(part[1].Value);
                }

                var primaryAt = part.ToList().FindIndex(t => t.IsWord("primary"));
                if (primaryAt >= 0)
                {
                    var open = part.Skip(primaryAt).ToList();
                    primaryKey.AddRange(SqlTokenReader.IdentifierList(InnerOfFirstParentheses(open)));
                }

                continue;
            }

            var parsed = ColumnDefinitionParser.Parse(part, reader);
            if (parsed is null)
            {
                continue;
            }

            columns.Add(parsed.Column);
            if (parsed.IsPrimaryKey)
            {
                primaryKey.Add(parsed.Column.Name);
            }

            if (parsed.References is { } principal)
            {
                foreignKeys.Add(new AddForeignKeyChange(name.Name + "_" + parsed.Column.Name + "_fkey", name, [parsed.Column.Name], principal));
            }
        }

        return new CreateTableChange(name, columns)
        {
            PrimaryKeyColumns = primaryKey,
            ConstraintNames = constraintNames,
            ForeignKeys = foreignKeys,
        };
    }

    private static IEnumerable<SchemaChange> Drop(SqlTokenReader reader, string text)
    {
        if (reader.Accept("table"))
        {
            reader.Accept("if", "exists");
            var names = ReadNameList(reader);
            var cascade = reader.ContainsWord("cascade");
            return names.Select(name => (SchemaChange)new DropTableChange(name) { Cascade = cascade }).ToList();
        }

        if (reader.Accept("index"))
        {
            var concurrently = reader.Accept("concurrently");
            var ifExists = reader.Accept("if", "exists");
            return ReadNameList(reader)
                .Select(name => (SchemaChange)new DropIndexChange(name.Name, null) { Concurrently = concurrently, IfExists = ifExists })
                .ToList();
        }

        if (reader.Accept("schema"))
        {
            reader.Accept("if", "exists");
            return [new SchemaNamespaceChange(SchemaObjectAction.Drop, reader.ReadIdentifier() ?? "?")];
        }

        if (reader.Accept("database"))
        {
            reader.Accept("if", "exists");
            return [new MaintenanceChange(MaintenanceKind.DropDatabase, null, text)];
        }

        if (reader.Accept("type"))
        {
            reader.Accept("if", "exists");
            return [new EnumTypeChange(SchemaObjectAction.Drop, reader.ReadQualifiedName() ?? new TableName("?"))];
        }

        if (reader.Accept("extension"))
        {
            reader.Accept("if", "exists");
            return [new ExtensionChange(SchemaObjectAction.Drop, reader.ReadIdentifier() ?? "?")];
        }

        if (reader.Accept("sequence"))
        {
            reader.Accept("if", "exists");
            return [new SequenceChange(SchemaObjectAction.Drop, reader.ReadQualifiedName() ?? new TableName("?"))];
        }

        return [new OtherStatementChange("DROP " + (reader.Peek()?.Value.ToUpperInvariant() ?? string.Empty), true)];
    }

    private static SchemaChange AlterOther(SqlTokenReader reader, string text)
    {
        if (reader.Accept("index"))
        {
            reader.Accept("if", "exists");
            var name = reader.ReadQualifiedName();
            if (name is { } index && reader.Accept("rename", "to"))
            {
                return new RenameIndexChange(index.Name, reader.ReadIdentifier() ?? "?", null);
            }

            return new OtherStatementChange("ALTER INDEX", true);
        }

        if (reader.Accept("type"))
        {
            var name = reader.ReadQualifiedName() ?? new TableName("?");
            if (reader.Accept("add", "value"))
            {
                reader.Accept("if", "not", "exists");
                return new EnumTypeChange(SchemaObjectAction.Alter, name) { AddedValue = reader.Peek()?.Value };
            }

            if (reader.Accept("rename", "value"))
            {
                var old = reader.Peek()?.Value ?? "?";
                reader.Position++;
                reader.Accept("to");
                return new EnumTypeChange(SchemaObjectAction.Alter, name) { RenamedValue = (old, reader.Peek()?.Value ?? "?") };
            }

            return new OtherStatementChange("ALTER TYPE", true);
        }

        if (reader.Accept("schema"))
        {
            var name = reader.ReadIdentifier() ?? "?";
            return reader.Accept("rename", "to")
                ? new SchemaNamespaceChange(SchemaObjectAction.Rename, name) { NewName = reader.ReadIdentifier() }
                : new OtherStatementChange("ALTER SCHEMA", true);
        }

        if (reader.Accept("domain"))
        {
            var name = reader.ReadQualifiedName() ?? new TableName("?");
            if (reader.Accept("add"))
            {
                return new DomainConstraintChange(name, IsNewDomain: false) { NotValid = reader.ContainsWord("not") && reader.ContainsWord("valid") };
            }

            return reader.Accept("validate")
                ? new DomainConstraintChange(name, IsNewDomain: false) { IsValidation = true }
                : new OtherStatementChange("ALTER DOMAIN", true);
        }

        if (reader.Accept("sequence"))
        {
            reader.Accept("if", "exists");
            return new SequenceChange(SchemaObjectAction.Alter, reader.ReadQualifiedName() ?? new TableName("?"));
        }

        if (reader.IsWord("view") || reader.IsWord("function") || reader.IsWord("procedure") || reader.IsWord("trigger")
            || reader.IsWord("materialized") || reader.IsWord("extension") || reader.IsWord("role") || reader.IsWord("user")
            || reader.IsWord("default") || reader.IsWord("policy") || reader.IsWord("publication") || reader.IsWord("database"))
        {
            return new OtherStatementChange("ALTER " + reader.Peek()!.Value.Value.ToUpperInvariant(), true);
        }

        return new UnanalyzableSqlChange(text, "ALTER statement not recognised");
    }

    private static SchemaChange DataChange(SqlTokenReader reader, string text)
    {
        if (reader.Accept("with"))
        {
            // WITH … : find the statement the CTEs feed, at the top level.
            reader.Accept("recursive");
            while (!reader.AtEnd)
            {
                reader.ReadIdentifier();
                if (reader.IsPunctuation('('))
                {
                    reader.ReadParenthesized();
                }

                reader.Accept("as");
                reader.Accept("not");
                reader.Accept("materialized");
                reader.ReadParenthesized();
                if (!reader.AcceptPunctuation(','))
                {
                    break;
                }
            }

            if (reader.IsWord("select"))
            {
                return new OtherStatementChange("SELECT", false);
            }
        }

        var hasWhere = reader.ContainsWord("where");
        if (reader.Accept("update"))
        {
            reader.Accept("only");
            return Named(DataChangeKind.Update, reader.ReadQualifiedName(), hasWhere, text);
        }

        if (reader.Accept("delete", "from"))
        {
            reader.Accept("only");
            return Named(DataChangeKind.Delete, reader.ReadQualifiedName(), hasWhere, text);
        }

        if (reader.Accept("insert", "into"))
        {
            var table = reader.ReadQualifiedName();
            var kind = reader.ContainsWord("select") ? DataChangeKind.InsertSelect : DataChangeKind.Insert;
            return Named(kind, table, hasWhere, text);
        }

        return new UnanalyzableSqlChange(text, "data statement not recognised");
    }

    private static SchemaChange Named(DataChangeKind kind, TableName? table, bool hasWhere, string text) =>
        table is { } name
            ? new DataChange(kind, name) { HasWhereClause = hasWhere }
            : new UnanalyzableSqlChange(text, "no table name");

    private static IEnumerable<SchemaChange> Truncate(SqlTokenReader reader, string text)
    {
        reader.Accept("table");
        reader.Accept("only");
        var names = ReadNameList(reader);
        var cascade = reader.ContainsWord("cascade");
        return names.Select(name => (SchemaChange)new MaintenanceChange(MaintenanceKind.Truncate, name, text) { Cascade = cascade }).ToList();
    }

    /// <summary>LOCK [TABLE] [ONLY] name [, …] [IN mode MODE] [NOWAIT]: the mode it names, ACCESS EXCLUSIVE by default.</summary>
    /// <summary>The table of COMMENT ON COLUMN [schema.]table.column: every part but the last.</summary>
    private static TableName? ColumnOwner(SqlTokenReader reader)
    {
        var parts = new List<string>();
        while (reader.ReadIdentifier() is { } part)
        {
            parts.Add(part);
            if (!reader.AcceptPunctuation('.'))
            {
                break;
            }
        }

        return parts.Count switch
        {
            2 => new TableName(parts[0]),
            3 => new TableName(parts[1], parts[0]),
            _ => null,
        };
    }

    private static IEnumerable<SchemaChange> LockTable(SqlTokenReader reader, string text)
    {
        reader.Accept("table");
        var names = ReadNameList(reader);
        var mode = LockLevel.AccessExclusive;
        if (reader.Accept("in"))
        {
            var words = new List<string>();
            while (reader.Peek() is { } token && !token.IsWord("mode") && !token.IsWord("nowait"))
            {
                words.Add(token.Value.ToUpperInvariant());
                reader.Position++;
            }

            mode = string.Join(" ", words) switch
            {
                "ACCESS SHARE" => LockLevel.AccessShare,
                "ROW SHARE" => LockLevel.RowShare,
                "ROW EXCLUSIVE" => LockLevel.RowExclusive,
                "SHARE UPDATE EXCLUSIVE" => LockLevel.ShareUpdateExclusive,
                "SHARE" => LockLevel.Share,
                "SHARE ROW EXCLUSIVE" => LockLevel.ShareRowExclusive,
                "EXCLUSIVE" => LockLevel.Exclusive,
                _ => LockLevel.AccessExclusive,
            };
        }

        return names.Select(name => (SchemaChange)new TableCommandChange(TableCommandKind.LockTable, name, text) { RequestedLock = mode }).ToList();
    }

    private static List<TableName> ReadNameList(SqlTokenReader reader)
    {
        var names = new List<TableName>();
        do
        {
            reader.Accept("only");
            if (reader.ReadQualifiedName() is { } name)
            {
                names.Add(name);
            }

            if (reader.Peek() is { Kind: SqlTokenKind.Operator, Value: "*" })
            {
                reader.Position++;
            }
        }
        while (reader.AcceptPunctuation(','));
        return names;
    }

    private static List<List<SqlToken>> SplitTopLevel(IReadOnlyList<SqlToken> tokens)
    {
        var parts = new List<List<SqlToken>> { new() };
        var depth = 0;
        foreach (var token in tokens)
        {
            if (depth == 0 && token.IsPunctuation(','))
            {
                parts.Add([]);
                continue;
            }

            depth += token.IsPunctuation('(') ? 1 : token.IsPunctuation(')') ? -1 : 0;
            parts[parts.Count - 1].Add(token);
        }

        return parts;
    }

    private static IReadOnlyList<SqlToken> InnerOfFirstParentheses(IReadOnlyList<SqlToken> tokens)
    {
        var inner = new List<SqlToken>();
        var depth = 0;
        foreach (var token in tokens)
        {
            if (token.IsPunctuation('('))
            {
                if (depth++ == 0)
                {
                    continue;
                }
            }
            else if (token.IsPunctuation(')') && --depth == 0)
            {
                break;
            }

            if (depth > 0)
            {
                inner.Add(token);
            }
        }

        return inner;
    }
}
