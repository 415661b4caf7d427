using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.EntityFrameworkCore.Migrations.Internal;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.Extensions.DependencyInjection;
using SafeMigrations.Core.Analysis;
using SafeMigrations.Core.EntityFramework;
using SafeMigrations.Core.Gate;
using SafeMigrations.Core.Rules;
using SafeMigrations.EntityFrameworkCore;

namespace SafeMigrations.Design;

/// <summary>
/// `safemig migrations add`: scaffolds the pending model changes with EF Core's own scaffolder (the files
/// `dotnet ef migrations add` writes), then rewrites them into the safe form wherever a recipe exists:
/// an index on an existing table built concurrently in a migration of its own, a dropped index dropped
/// concurrently, a foreign key or check constraint added NOT VALID and validated by a migration that
/// follows. What has no automatic rewrite stays as EF wrote it, and the gate reports it.
/// </summary>
internal sealed class SafeMigrationScaffolder(DbContext context, AppAssemblies app, HostArguments arguments, ContextReport report)
{
    private const string TimestampFormat = "yyyyMMddHHmmss";

    public void Scaffold()
    {
        report.Provider = context.Database.ProviderName;
        report.IsPostgres = report.Provider == ContextInspector.NpgsqlProvider;
        // The context's own design-time model, built before the design-time services are (they resolve it from the context).
        var model = context.GetService<IDesignTimeModel>().Model;
        var reporter = new OperationReporter(new OperationReportHandler(
            errorHandler: m => report.Notes.Add(Redact.Secrets(m)),
            warningHandler: _ => { },
            informationHandler: _ => { },
            verboseHandler: _ => { }));
        var services = new DesignTimeServicesBuilder(app.Target, app.Startup, reporter, arguments.AppArguments).Build(context);
        using var scope = services.CreateScope();
        var provider = scope.ServiceProvider;
        var migrationsAssembly = provider.GetRequiredService<IMigrationsAssembly>();
        // The scaffolder's own snapshot processing (EF 10 added a parameter to Process: bound by name), on a
        // snapshot instance of our own: processing finalizes the snapshot's cached model, and EF's scaffolder
        // processes the assembly's instance again below (a second pass over the same model loses it).
        var snapshot = migrationsAssembly.ModelSnapshot is { } existing ? (ModelSnapshot?)Activator.CreateInstance(existing.GetType()) : null;
        var processed = (IModel?)Invoke(provider.GetRequiredService<ISnapshotModelProcessor>(), nameof(ISnapshotModelProcessor.Process), new Dictionary<string, object?>
        {
            ["model"] = snapshot?.Model,
            ["resetVersion"] = false,
        }, allowNull: true);
        var lastModel = processed?.GetRelationalModel();
        var differ = provider.GetRequiredService<IMigrationsModelDiffer>();
        var up = differ.GetDifferences(lastModel, model.GetRelationalModel());
        var down = up.Count > 0 ? differ.GetDifferences(model.GetRelationalModel(), lastModel) : [];
        if (up.Count == 0 && arguments.OnlyIfPending)
        {
            return;
        }

        var name = arguments.MigrationName is { Length: > 0 } given ? given : MigrationNamer.Name(up, model);
        if (migrationsAssembly.FindMigrationId(name) is not null)
        {
            throw new DesignHostException($"A migration named {name} already exists in {report.Name}'s migrations: choose another name.");
        }

        // One change per operation (the planner's actions point back at the operations by index), completed with the model.
        var changes = TargetModelCompletion.Complete(
            up.Select(o => EfOperationMapper.Map(o, location: null) is { Count: > 0 } mapped ? mapped[0] : new Core.Model.OtherStatementChange(o.GetType().Name, ChangesSchema: true)).ToList(),
            new TargetModelFacts(model.GetRelationalModel()));
        var actions = report.IsPostgres ? SafeFormPlanner.Plan(changes, arguments.Analysis) : [];
        RefuseUnfilledNewColumns(up, changes, actions);

        var projectDirectory = Path.GetFullPath(arguments.ProjectDirectory ?? Directory.GetCurrentDirectory());
        var outputDirectory = arguments.OutputDirectory is { } output ? Path.GetFullPath(Path.Combine(projectDirectory, output)) : null;
        var scaffolder = provider.GetRequiredService<IMigrationsScaffolder>();
        var scaffolded = ScaffoldWithEf(scaffolder, name, arguments.RootNamespace ?? app.Target.GetName().Name ?? string.Empty, SubNamespace(projectDirectory, outputDirectory));
        var files = SaveWithEf(scaffolder, projectDirectory, scaffolded, outputDirectory);
        report.WrittenFiles.Add(files.MigrationFile!);
        report.WrittenFiles.Add(files.MetadataFile!);
        report.WrittenFiles.Add(files.SnapshotFile!);

        if (up.Count == 0)
        {
            report.Notes.Add($"Wrote {scaffolded.MigrationId} empty: the model has no pending changes (a migration for hand-written steps).");
            return;
        }

        if (actions.Count == 0)
        {
            var unsafeLeft = PendingModelChangesCheck.Judge(report.Name, changes, arguments.Analysis, history: null, location: null, judge: report.IsPostgres)?.Changes.Count(c => c.Worst == Core.Rules.Severity.Error) ?? 0;
            report.Notes.Add(unsafeLeft == 0
                ? $"Wrote {scaffolded.MigrationId} as EF scaffolded it: no change in it needs a safe form (warnings, if any, follow)."
                : $"Wrote {scaffolded.MigrationId} as EF scaffolded it: {unsafeLeft} change(s) in it have no automatic safe form; the check below names the command for each.");
            return;
        }

        Rewrite(provider, scaffolded, files, up.ToList(), down.ToList(), changes, actions, model);
    }

    /// <summary>
    /// A new NOT NULL column (SM1004) without a default in the model: its existing rows hold NULL until they get a value, and
    /// only the developer knows which. Asked for before anything is written, so the answer is one re-run.
    /// </summary>
    private void RefuseUnfilledNewColumns(IReadOnlyList<MigrationOperation> up, IReadOnlyList<Core.Model.SchemaChange> changes, IReadOnlyList<SafeFormAction> actions)
    {
        var unfilled = actions.Where(a => a.Kind == SafeFormKind.AddNullableThenSetNotNull && SafeFormPlanner.ColumnNeedingFill(changes[a.Index], a) is not null)
            .Select(a => (AddColumnOperation)up[a.Index])
            .Where(add => !arguments.Fills.ContainsKey(add.Name) && !arguments.Fills.ContainsKey(add.Table + "." + add.Name))
            .ToList();
        if (unfilled.Count > 0)
        {
            var again = "dotnet safemig migrations add" + (arguments.MigrationName is { Length: > 0 } given ? " " + given : string.Empty)
                + string.Concat(arguments.Fills.Select(f => $" --fill \"{f.Key}={f.Value.Replace("\"", "\\\"", StringComparison.Ordinal)}\""))
                + string.Concat(unfilled.Select(add => $" --fill \"{add.Name}=<SQL>\""));
            throw new DesignHostException(
                $"{string.Join(", ", unfilled.Select(add => add.Table + "." + add.Name))} {(unfilled.Count == 1 ? "is a new NOT NULL column" : "are new NOT NULL columns")} of an existing table without a default in the model (SM1004): "
                + "the existing rows need a value before the column can be NOT NULL" + (unfilled[0].DefaultValue is { } made ? $", and the {ClrDefaults.Describe(made)} EF fills in is made up" : string.Empty) + ". Nothing was written. "
                + $"Say the value (SQL, per row; filled in batches): {again}; or configure a default (HasDefaultValue/HasDefaultValueSql).");
        }
    }

    private void Rewrite(IServiceProvider provider, ScaffoldedMigration scaffolded, MigrationFiles files, List<MigrationOperation> up, List<MigrationOperation> down, IReadOnlyList<Core.Model.SchemaChange> changes, IReadOnlyList<SafeFormAction> actions, IModel model)
    {
        var codeGenerator = provider.GetRequiredService<IMigrationsCodeGeneratorSelector>().Select(language: null);
        var migrationNamespace = NamespaceOf(scaffolded.MetadataCode);
        var mainName = ClassNameOf(scaffolded.MigrationId);
        var descriptions = actions.Select(a => Describe(a, up[a.Index])).ToList();
        var sequence = new SafeFormSequence(down, changes, model.GetRelationalModel(), References("SafeMigrations.Abstractions"), arguments.Fills);
        sequence.Build(up, actions, mainName);

        // The main migration keeps EF's id, Designer and snapshot; only its operations change.
        File.WriteAllText(files.MigrationFile!, MigrationCode.WithAttributes(MigrationCode.Generate(codeGenerator, migrationNamespace, mainName, sequence.MainUp, sequence.MainDown), mainName, sequence.MainAttributes), Encoding.UTF8);
        var directory = Path.GetDirectoryName(files.MigrationFile!)!;
        var time = DateTime.ParseExact(scaffolded.MigrationId[..TimestampFormat.Length], TimestampFormat, CultureInfo.InvariantCulture);
        var written = new List<string> { scaffolded.MigrationId };
        foreach (var step in sequence.Steps)
        {
            time = time.AddSeconds(1);
            var stepName = mainName + step.Suffix;
            var id = time.ToString(TimestampFormat, CultureInfo.InvariantCulture) + "_" + stepName;
            var code = MigrationCode.WithAttributes(MigrationCode.Generate(codeGenerator, migrationNamespace, stepName, step.Up, step.Down), stepName, step.Attributes);
            code = MigrationCode.WithBackfills(code, sequence.Backfills, References("SafeMigrations.Runtime"));
            File.WriteAllText(Path.Combine(directory, id + ".cs"), code, Encoding.UTF8);
            // Every step's Designer records the final model: EF reads it to generate SQL and to restore the snapshot on 'migrations remove'.
            File.WriteAllText(Path.Combine(directory, id + ".Designer.cs"), codeGenerator.GenerateMetadata(migrationNamespace, context.GetType(), stepName, id, model), Encoding.UTF8);
            report.WrittenFiles.Add(Path.Combine(directory, id + ".cs"));
            report.WrittenFiles.Add(Path.Combine(directory, id + ".Designer.cs"));
            written.Add(id);
        }

        report.Notes.Add($"Wrote the safe form as {written.Count} migration{(written.Count == 1 ? string.Empty : "s")} ({string.Join(", ", written)}): "
            + string.Join("; ", descriptions)
            + (written.Count > 1 ? ". Remove them together: dotnet ef migrations remove, once per migration (add --force when no database is reachable: EF asks it whether they are applied)." : "."));
        if (sequence.MainUp.Count == 0)
        {
            report.Notes.Add($"{scaffolded.MigrationId} has no statement: nothing changes before the new release rolls out (it keeps EF's id and snapshot); the contract migrations do the work.");
        }

        report.Notes.AddRange(sequence.Notes);
        if (sequence.Steps.Any(s => s.Attributes.Any(a => a.Contains("ContractMigration", StringComparison.Ordinal))))
        {
            report.Notes.Add("Deploy: dotnet safemig apply --phase expand before the new release rolls out, dotnet safemig apply --phase contract once no instance of the previous release runs (or ship the contract migration in the next release).");
        }
    }

    /// <summary>
    /// The app can compile what a package defines ([ContractMigration] and [SuppressMigrationRule] in SafeMigrations.Abstractions,
    /// migrationBuilder.Backfill in SafeMigrations.Runtime): its deps.json lists the package (a class library's packages are not
    /// copied next to it, and the host ships its own copy, so neither folder tells).
    /// </summary>
    private bool References(string package)
    {
        var deps = Path.ChangeExtension(app.TargetPath, ".deps.json");
        return File.Exists(deps) && File.ReadAllText(deps).Contains("\"" + package + "/", StringComparison.Ordinal);
    }

    private static string Describe(SafeFormAction action, MigrationOperation operation) => action.Kind switch
    {
        SafeFormKind.CreateIndexConcurrently => $"index {((CreateIndexOperation)operation).Name} created concurrently in its own migration ({action.RuleId})",
        SafeFormKind.DropIndexConcurrently => $"index {((DropIndexOperation)operation).Name} dropped concurrently in its own migration ({action.RuleId})",
        SafeFormKind.SetNotNullThroughCheck => $"{((AlterColumnOperation)operation).Table}.{((AlterColumnOperation)operation).Name} made NOT NULL by [ContractMigration]s once the previous release is gone: NULLs filled in batches, a CHECK NOT VALID, validated in the next migration, then SET NOT NULL and the check dropped ({action.RuleId})",
        SafeFormKind.AddNullableThenSetNotNull => $"{((AddColumnOperation)operation).Table}.{((AddColumnOperation)operation).Name} added nullable (the previous release does not write it) and made NOT NULL by [ContractMigration]s: existing rows filled in batches, a CHECK NOT VALID, validated, then SET NOT NULL ({action.RuleId})",
        SafeFormKind.AddThenSetVolatileDefault => $"{((AddColumnOperation)operation).Table}.{((AddColumnOperation)operation).Name} added without its volatile default (no rewrite), the default set for new rows, existing rows filled in batches{(((AddColumnOperation)operation).IsNullable ? string.Empty : ", then made NOT NULL by [ContractMigration]s")} ({action.RuleId})",
        SafeFormKind.UniqueThroughConcurrentIndex when operation is AddPrimaryKeyOperation key => $"primary key {key.Name} on a unique index built concurrently in its own migration, attached with USING INDEX ({action.RuleId})",
        SafeFormKind.UniqueThroughConcurrentIndex => $"unique constraint {((AddUniqueConstraintOperation)operation).Name} on an index built concurrently in its own migration, attached with USING INDEX ({action.RuleId})",
        SafeFormKind.RenameThroughExpandContract => $"column {((RenameColumnOperation)operation).Table}.{((RenameColumnOperation)operation).Name} renamed to {((RenameColumnOperation)operation).NewName} by expand/contract: the new column kept in step by a trigger and copied in batches now, the old one dropped by a [ContractMigration] ({action.RuleId})",
        SafeFormKind.DropInContractMigration => $"{SafeFormSequence.Describe(operation)} in a [ContractMigration] of its own; this release only stops mapping it ({action.RuleId})",
        _ => $"constraint {(operation as AddForeignKeyOperation)?.Name ?? (operation as AddCheckConstraintOperation)?.Name} added NOT VALID and validated in the next migration ({action.RuleId})",
    };

    // ScaffoldMigration gained a dryRun parameter in EF 9: bind whichever overload the app's EF has, by name.
    private static ScaffoldedMigration ScaffoldWithEf(IMigrationsScaffolder scaffolder, string name, string rootNamespace, string? subNamespace) =>
        (ScaffoldedMigration)Invoke(scaffolder, nameof(IMigrationsScaffolder.ScaffoldMigration), new Dictionary<string, object?>
        {
            ["migrationName"] = name,
            ["rootNamespace"] = rootNamespace,
            ["subNamespace"] = subNamespace,
            ["language"] = null,
            ["dryRun"] = false,
        })!;

    private static MigrationFiles SaveWithEf(IMigrationsScaffolder scaffolder, string projectDirectory, ScaffoldedMigration migration, string? outputDirectory) =>
        (MigrationFiles)Invoke(scaffolder, nameof(IMigrationsScaffolder.Save), new Dictionary<string, object?>
        {
            ["projectDir"] = projectDirectory,
            ["migration"] = migration,
            ["outputDir"] = outputDirectory,
            ["dryRun"] = false,
        })!;

    private static object? Invoke(object target, string method, Dictionary<string, object?> named, bool allowNull = false)
    {
        var candidates = target.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name == method && m.GetParameters().All(p => named.ContainsKey(p.Name!) || p.HasDefaultValue))
            .OrderByDescending(m => m.GetParameters().Length)
            .ToList();
        var chosen = candidates.FirstOrDefault() ?? throw new DesignHostException($"This EF Core version has no {method} the host can call: run 'dotnet ef migrations add' instead.");
        var values = chosen.GetParameters().Select(p => named.TryGetValue(p.Name!, out var value) ? value : p.DefaultValue).ToArray();
        try
        {
            var result = chosen.Invoke(target, values);
            return allowNull || result is not null ? result : throw new DesignHostException($"EF Core's {method} returned nothing.");
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new DesignHostException($"EF Core could not scaffold the migration: {e.InnerException.Message}", e.InnerException);
        }
    }

    private static string? SubNamespace(string projectDirectory, string? outputDirectory)
    {
        if (outputDirectory is null || !outputDirectory.StartsWith(projectDirectory, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = outputDirectory[projectDirectory.Length..].Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 0 ? string.Join('.', parts) : null;
    }

    private static string? NamespaceOf(string code)
    {
        var match = System.Text.RegularExpressions.Regex.Match(code, @"^\s*namespace\s+(?<ns>[\w.]+)", System.Text.RegularExpressions.RegexOptions.Multiline);
        return match.Success ? match.Groups["ns"].Value : null;
    }

    private static string ClassNameOf(string migrationId) => migrationId.Length > TimestampFormat.Length + 1 ? migrationId[(TimestampFormat.Length + 1)..] : migrationId;
}
