using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Scaffolding;
using Microsoft.Extensions.DependencyInjection;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;
using SafeMigrations.Core.Runner;

namespace SafeMigrations.Design;

/// <summary>
/// safemig drift: the live schema, read with the provider's own reverse-engineering services (what
/// dotnet ef dbcontext scaffold reads), against the relational model EF builds for the context. Each
/// difference is an SM4003 finding with the severity of its harm (SchemaDrift, in Core).
/// </summary>
internal static class DriftInspector
{
    private static readonly string[] RunnerSchemas = [AuditSql.Schema, BackupSql.Schema];

    /// <summary>The tables the context maps, with the schema the database would give them.</summary>
    public static IReadOnlyList<TableName> MappedTables(DbContext context) =>
        context.GetService<IDesignTimeModel>().Model.GetRelationalModel().Tables.Where(t => !t.IsExcludedFromMigrations).Select(t => new TableName(t.Name, t.Schema)).ToList();

    /// <param name="mappedElsewhere">Tables the app's other contexts map: in a shared database they are theirs, not drift.</param>
    public static void Run(DbContext context, AppAssemblies app, HostArguments arguments, ContextReport report, IReadOnlySet<TableName> mappedElsewhere)
    {
        report.Provider = context.Database.ProviderName;
        report.IsPostgres = report.Provider == ContextInspector.NpgsqlProvider;
        var connection = arguments.Connection ?? context.Database.GetConnectionString()
            ?? throw new DesignHostException("drift needs a database: pass --connection, or configure the context's connection string.");
        var model = context.GetService<IDesignTimeModel>().Model.GetRelationalModel();
        var reporter = new OperationReporter(new OperationReportHandler(
            errorHandler: m => report.Notes.Add(Redact.Secrets(m)), warningHandler: _ => { }, informationHandler: _ => { }, verboseHandler: _ => { }));
        var services = new DesignTimeServicesBuilder(app.Target, app.Startup, reporter, arguments.AppArguments).Build(context);
        using var scope = services.CreateScope();
        var factory = scope.ServiceProvider.GetRequiredService<IDatabaseModelFactory>();
        var database = factory.Create(connection, new DatabaseModelFactoryOptions());
        var relational = RelationalOptionsExtension.Extract(context.GetService<IDbContextOptions>());
        var historyTable = new TableName(relational.MigrationsHistoryTableName ?? "__EFMigrationsHistory", relational.MigrationsHistoryTableSchema);

        var expected = model.Tables
            .Where(t => !t.IsExcludedFromMigrations)
            .Select(t => new SchemaTable(
                new TableName(t.Name, t.Schema ?? database.DefaultSchema),
                t.Columns.Select(c => new SchemaColumn(c.Name, c.StoreType, c.IsNullable)).ToList(),
                t.Indexes.Where(i => i.Name is not null).Select(i => new SchemaIndex(i.Name!, i.Columns.Select(c => c.Name).ToList(), i.IsUnique))
                    // Alternate keys are unique constraints, which the live side lists with the indexes too (the primary key apart).
                    .Concat(t.UniqueConstraints.Where(u => u.Name != t.PrimaryKey?.Name).Select(u => new SchemaIndex(u.Name, u.Columns.Select(c => c.Name).ToList(), IsUnique: true)))
                    .ToList(),
                t.ForeignKeyConstraints.Select(k => k.Name).Where(n => n is not null).Select(n => n!).ToList()))
            .ToList();
        var actual = database.Tables
            .Where(t => !RunnerSchemas.Contains(t.Schema) && t.Name != historyTable.Name && !mappedElsewhere.Contains(new TableName(t.Name, t.Schema)))
            .Select(t => new SchemaTable(
                new TableName(t.Name, t.Schema ?? database.DefaultSchema),
                t.Columns.Select(c => new SchemaColumn(c.Name, c.StoreType ?? string.Empty, c.IsNullable)).ToList(),
                t.Indexes.Where(i => i.Name is not null).Select(i => new SchemaIndex(i.Name!, i.Columns.Select(c => c.Name).ToList(), i.IsUnique))
                    .Concat(t.UniqueConstraints.Where(u => u.Name is not null).Select(u => new SchemaIndex(u.Name!, u.Columns.Select(c => c.Name).ToList(), IsUnique: true)))
                    .ToList(),
                t.ForeignKeys.Select(k => k.Name).Where(n => n is not null).Select(n => n!).ToList()))
            .ToList();
        var differences = SchemaDrift.Compare(expected, actual);
        foreach (var difference in differences)
        {
            report.Findings.Add(new Finding(RuleIds.LiveSchemaDrift, difference.Severity, difference.Description, string.Empty, Location: null));
        }

        report.Notes.Add(differences.Count == 0
            ? $"The live schema matches the model: {expected.Count} tables, {expected.Sum(t => t.Columns.Count)} columns, their indexes and foreign keys."
            : $"{differences.Count} difference(s) between the live schema and the model ({expected.Count} tables compared).");
    }
}
