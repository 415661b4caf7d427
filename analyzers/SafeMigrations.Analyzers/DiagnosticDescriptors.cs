using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Analyzers;

/// <summary>
/// Roslyn descriptors for the catalog in SafeMigrations.Core. Ids, categories and severities are
/// written out literally so release tracking (AnalyzerReleases.*.md) can check them; titles and
/// recipes come from Core; DiagnosticDescriptorsTests keeps both in step.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string MessageFormat = "{0}";

    public static readonly DiagnosticDescriptor SuppressionWithoutJustification = new(RuleIds.SuppressionWithoutJustification, TitleOf(RuleIds.SuppressionWithoutJustification), MessageFormat, Categories.Configuration, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.SuppressionWithoutJustification), helpLinkUri: RuleIds.HelpUri(RuleIds.SuppressionWithoutJustification));

    public static readonly DiagnosticDescriptor UnusedSuppression = new(RuleIds.UnusedSuppression, TitleOf(RuleIds.UnusedSuppression), MessageFormat, Categories.Configuration, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.UnusedSuppression), helpLinkUri: RuleIds.HelpUri(RuleIds.UnusedSuppression));

    public static readonly DiagnosticDescriptor RuleFailed = new(RuleIds.RuleFailed, TitleOf(RuleIds.RuleFailed), MessageFormat, Categories.Configuration, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.RuleFailed), helpLinkUri: RuleIds.HelpUri(RuleIds.RuleFailed));

    public static readonly DiagnosticDescriptor SuppressionAttributeNotFound = new(RuleIds.SuppressionAttributeNotFound, TitleOf(RuleIds.SuppressionAttributeNotFound), MessageFormat, Categories.Configuration, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.SuppressionAttributeNotFound), helpLinkUri: RuleIds.HelpUri(RuleIds.SuppressionAttributeNotFound));

    public static readonly DiagnosticDescriptor UnknownMigrationContext = new(RuleIds.UnknownMigrationContext, TitleOf(RuleIds.UnknownMigrationContext), MessageFormat, Categories.Configuration, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.UnknownMigrationContext), helpLinkUri: RuleIds.HelpUri(RuleIds.UnknownMigrationContext));

    public static readonly DiagnosticDescriptor NonConcurrentIndex = new(RuleIds.NonConcurrentIndex, TitleOf(RuleIds.NonConcurrentIndex), MessageFormat, Categories.Locking, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.NonConcurrentIndex), helpLinkUri: RuleIds.HelpUri(RuleIds.NonConcurrentIndex));

    public static readonly DiagnosticDescriptor NonConcurrentDropIndex = new(RuleIds.NonConcurrentDropIndex, TitleOf(RuleIds.NonConcurrentDropIndex), MessageFormat, Categories.Locking, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.NonConcurrentDropIndex), helpLinkUri: RuleIds.HelpUri(RuleIds.NonConcurrentDropIndex));

    public static readonly DiagnosticDescriptor NonTransactionalOperationNotAlone = new(RuleIds.NonTransactionalOperationNotAlone, TitleOf(RuleIds.NonTransactionalOperationNotAlone), MessageFormat, Categories.Transactions, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.NonTransactionalOperationNotAlone), helpLinkUri: RuleIds.HelpUri(RuleIds.NonTransactionalOperationNotAlone));

    public static readonly DiagnosticDescriptor RequiredColumnWithoutDefault = new(RuleIds.RequiredColumnWithoutDefault, TitleOf(RuleIds.RequiredColumnWithoutDefault), MessageFormat, Categories.Compatibility, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.RequiredColumnWithoutDefault), helpLinkUri: RuleIds.HelpUri(RuleIds.RequiredColumnWithoutDefault));

    public static readonly DiagnosticDescriptor RewritingColumnDefault = new(RuleIds.RewritingColumnDefault, TitleOf(RuleIds.RewritingColumnDefault), MessageFormat, Categories.Locking, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.RewritingColumnDefault), helpLinkUri: RuleIds.HelpUri(RuleIds.RewritingColumnDefault));

    public static readonly DiagnosticDescriptor RewritingTypeChange = new(RuleIds.RewritingTypeChange, TitleOf(RuleIds.RewritingTypeChange), MessageFormat, Categories.Locking, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.RewritingTypeChange), helpLinkUri: RuleIds.HelpUri(RuleIds.RewritingTypeChange));

    public static readonly DiagnosticDescriptor SetNotNull = new(RuleIds.SetNotNull, TitleOf(RuleIds.SetNotNull), MessageFormat, Categories.Locking, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.SetNotNull), helpLinkUri: RuleIds.HelpUri(RuleIds.SetNotNull));

    public static readonly DiagnosticDescriptor NarrowingTypeChange = new(RuleIds.NarrowingTypeChange, TitleOf(RuleIds.NarrowingTypeChange), MessageFormat, Categories.Locking, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.NarrowingTypeChange), helpLinkUri: RuleIds.HelpUri(RuleIds.NarrowingTypeChange));

    public static readonly DiagnosticDescriptor RenameColumn = new(RuleIds.RenameColumn, TitleOf(RuleIds.RenameColumn), MessageFormat, Categories.Compatibility, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.RenameColumn), helpLinkUri: RuleIds.HelpUri(RuleIds.RenameColumn));

    public static readonly DiagnosticDescriptor RenameTable = new(RuleIds.RenameTable, TitleOf(RuleIds.RenameTable), MessageFormat, Categories.Compatibility, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.RenameTable), helpLinkUri: RuleIds.HelpUri(RuleIds.RenameTable));

    public static readonly DiagnosticDescriptor DropColumn = new(RuleIds.DropColumn, TitleOf(RuleIds.DropColumn), MessageFormat, Categories.DataLoss, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.DropColumn), helpLinkUri: RuleIds.HelpUri(RuleIds.DropColumn));

    public static readonly DiagnosticDescriptor DropTable = new(RuleIds.DropTable, TitleOf(RuleIds.DropTable), MessageFormat, Categories.DataLoss, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.DropTable), helpLinkUri: RuleIds.HelpUri(RuleIds.DropTable));

    public static readonly DiagnosticDescriptor ValidatedForeignKey = new(RuleIds.ValidatedForeignKey, TitleOf(RuleIds.ValidatedForeignKey), MessageFormat, Categories.Locking, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.ValidatedForeignKey), helpLinkUri: RuleIds.HelpUri(RuleIds.ValidatedForeignKey));

    public static readonly DiagnosticDescriptor ValidatedCheckConstraint = new(RuleIds.ValidatedCheckConstraint, TitleOf(RuleIds.ValidatedCheckConstraint), MessageFormat, Categories.Locking, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.ValidatedCheckConstraint), helpLinkUri: RuleIds.HelpUri(RuleIds.ValidatedCheckConstraint));

    public static readonly DiagnosticDescriptor UniqueConstraint = new(RuleIds.UniqueConstraint, TitleOf(RuleIds.UniqueConstraint), MessageFormat, Categories.Locking, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.UniqueConstraint), helpLinkUri: RuleIds.HelpUri(RuleIds.UniqueConstraint));

    public static readonly DiagnosticDescriptor AddPrimaryKey = new(RuleIds.AddPrimaryKey, TitleOf(RuleIds.AddPrimaryKey), MessageFormat, Categories.Locking, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.AddPrimaryKey), helpLinkUri: RuleIds.HelpUri(RuleIds.AddPrimaryKey));

    public static readonly DiagnosticDescriptor DataChangeWithSchemaChange = new(RuleIds.DataChangeWithSchemaChange, TitleOf(RuleIds.DataChangeWithSchemaChange), MessageFormat, Categories.Locking, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.DataChangeWithSchemaChange), helpLinkUri: RuleIds.HelpUri(RuleIds.DataChangeWithSchemaChange));

    public static readonly DiagnosticDescriptor RawSql = new(RuleIds.RawSql, TitleOf(RuleIds.RawSql), MessageFormat, Categories.Locking, DiagnosticSeverity.Info, isEnabledByDefault: true, description: RecipeOf(RuleIds.RawSql), helpLinkUri: RuleIds.HelpUri(RuleIds.RawSql));

    public static readonly DiagnosticDescriptor JsonColumn = new(RuleIds.JsonColumn, TitleOf(RuleIds.JsonColumn), MessageFormat, Categories.Design, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.JsonColumn), helpLinkUri: RuleIds.HelpUri(RuleIds.JsonColumn));

    public static readonly DiagnosticDescriptor MissingDown = new(RuleIds.MissingDown, TitleOf(RuleIds.MissingDown), MessageFormat, Categories.Compatibility, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.MissingDown), helpLinkUri: RuleIds.HelpUri(RuleIds.MissingDown));

    public static readonly DiagnosticDescriptor AddIdentityColumn = new(RuleIds.AddIdentityColumn, TitleOf(RuleIds.AddIdentityColumn), MessageFormat, Categories.Locking, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.AddIdentityColumn), helpLinkUri: RuleIds.HelpUri(RuleIds.AddIdentityColumn));

    public static readonly DiagnosticDescriptor EnumValueChange = new(RuleIds.EnumValueChange, TitleOf(RuleIds.EnumValueChange), MessageFormat, Categories.Compatibility, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.EnumValueChange), helpLinkUri: RuleIds.HelpUri(RuleIds.EnumValueChange));

    public static readonly DiagnosticDescriptor IdentifierTooLong = new(RuleIds.IdentifierTooLong, TitleOf(RuleIds.IdentifierTooLong), MessageFormat, Categories.Design, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.IdentifierTooLong), helpLinkUri: RuleIds.HelpUri(RuleIds.IdentifierTooLong));

    public static readonly DiagnosticDescriptor TypeDesign = new(RuleIds.TypeDesign, TitleOf(RuleIds.TypeDesign), MessageFormat, Categories.Design, DiagnosticSeverity.Info, isEnabledByDefault: true, description: RecipeOf(RuleIds.TypeDesign), helpLinkUri: RuleIds.HelpUri(RuleIds.TypeDesign));

    public static readonly DiagnosticDescriptor KeyColumnTypeChange = new(RuleIds.KeyColumnTypeChange, TitleOf(RuleIds.KeyColumnTypeChange), MessageFormat, Categories.Locking, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.KeyColumnTypeChange), helpLinkUri: RuleIds.HelpUri(RuleIds.KeyColumnTypeChange));

    public static readonly DiagnosticDescriptor ExclusiveMaintenance = new(RuleIds.ExclusiveMaintenance, TitleOf(RuleIds.ExclusiveMaintenance), MessageFormat, Categories.Locking, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.ExclusiveMaintenance), helpLinkUri: RuleIds.HelpUri(RuleIds.ExclusiveMaintenance));

    public static readonly DiagnosticDescriptor DropNotNull = new(RuleIds.DropNotNull, TitleOf(RuleIds.DropNotNull), MessageFormat, Categories.Compatibility, DiagnosticSeverity.Info, isEnabledByDefault: true, description: RecipeOf(RuleIds.DropNotNull), helpLinkUri: RuleIds.HelpUri(RuleIds.DropNotNull));

    public static readonly DiagnosticDescriptor DomainConstraint = new(RuleIds.DomainConstraint, TitleOf(RuleIds.DomainConstraint), MessageFormat, Categories.Locking, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.DomainConstraint), helpLinkUri: RuleIds.HelpUri(RuleIds.DomainConstraint));

    public static readonly DiagnosticDescriptor TransactionControlInSql = new(RuleIds.TransactionControlInSql, TitleOf(RuleIds.TransactionControlInSql), MessageFormat, Categories.Transactions, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.TransactionControlInSql), helpLinkUri: RuleIds.HelpUri(RuleIds.TransactionControlInSql));

    public static readonly DiagnosticDescriptor ExclusionConstraint = new(RuleIds.ExclusionConstraint, TitleOf(RuleIds.ExclusionConstraint), MessageFormat, Categories.Locking, DiagnosticSeverity.Error, isEnabledByDefault: true, description: RecipeOf(RuleIds.ExclusionConstraint), helpLinkUri: RuleIds.HelpUri(RuleIds.ExclusionConstraint));

    public static readonly DiagnosticDescriptor NonIdempotentNonTransactionalSql = new(RuleIds.NonIdempotentNonTransactionalSql, TitleOf(RuleIds.NonIdempotentNonTransactionalSql), MessageFormat, Categories.Transactions, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.NonIdempotentNonTransactionalSql), helpLinkUri: RuleIds.HelpUri(RuleIds.NonIdempotentNonTransactionalSql));

    public static readonly DiagnosticDescriptor ClrDefaultForExistingRows = new(RuleIds.ClrDefaultForExistingRows, TitleOf(RuleIds.ClrDefaultForExistingRows), MessageFormat, Categories.DataLoss, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.ClrDefaultForExistingRows), helpLinkUri: RuleIds.HelpUri(RuleIds.ClrDefaultForExistingRows));

    public static readonly DiagnosticDescriptor RemovedProperty = new(RuleIds.RemovedProperty, TitleOf(RuleIds.RemovedProperty), MessageFormat, Categories.DataLoss, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.RemovedProperty), helpLinkUri: RuleIds.HelpUri(RuleIds.RemovedProperty));

    public static readonly DiagnosticDescriptor RenamedProperty = new(RuleIds.RenamedProperty, TitleOf(RuleIds.RenamedProperty), MessageFormat, Categories.Compatibility, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.RenamedProperty), helpLinkUri: RuleIds.HelpUri(RuleIds.RenamedProperty));

    public static readonly DiagnosticDescriptor RequiredPropertyWithoutDefault = new(RuleIds.RequiredPropertyWithoutDefault, TitleOf(RuleIds.RequiredPropertyWithoutDefault), MessageFormat, Categories.Compatibility, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.RequiredPropertyWithoutDefault), helpLinkUri: RuleIds.HelpUri(RuleIds.RequiredPropertyWithoutDefault));

    public static readonly DiagnosticDescriptor PropertyTypeChange = new(RuleIds.PropertyTypeChange, TitleOf(RuleIds.PropertyTypeChange), MessageFormat, Categories.Locking, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.PropertyTypeChange), helpLinkUri: RuleIds.HelpUri(RuleIds.PropertyTypeChange));

    public static readonly DiagnosticDescriptor MaxLengthReduced = new(RuleIds.MaxLengthReduced, TitleOf(RuleIds.MaxLengthReduced), MessageFormat, Categories.Locking, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.MaxLengthReduced), helpLinkUri: RuleIds.HelpUri(RuleIds.MaxLengthReduced));

    public static readonly DiagnosticDescriptor PropertyMadeRequired = new(RuleIds.PropertyMadeRequired, TitleOf(RuleIds.PropertyMadeRequired), MessageFormat, Categories.Locking, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.PropertyMadeRequired), helpLinkUri: RuleIds.HelpUri(RuleIds.PropertyMadeRequired));

    public static readonly DiagnosticDescriptor RemovedEntity = new(RuleIds.RemovedEntity, TitleOf(RuleIds.RemovedEntity), MessageFormat, Categories.DataLoss, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.RemovedEntity), helpLinkUri: RuleIds.HelpUri(RuleIds.RemovedEntity));

    public static readonly DiagnosticDescriptor TableNameChange = new(RuleIds.TableNameChange, TitleOf(RuleIds.TableNameChange), MessageFormat, Categories.Compatibility, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.TableNameChange), helpLinkUri: RuleIds.HelpUri(RuleIds.TableNameChange));

    public static readonly DiagnosticDescriptor PendingModelChanges = new(RuleIds.PendingModelChanges, TitleOf(RuleIds.PendingModelChanges), MessageFormat, Categories.Compatibility, DiagnosticSeverity.Info, isEnabledByDefault: true, description: RecipeOf(RuleIds.PendingModelChanges), helpLinkUri: RuleIds.HelpUri(RuleIds.PendingModelChanges));

    public static readonly DiagnosticDescriptor NonConcurrentNewIndex = new(RuleIds.NonConcurrentNewIndex, TitleOf(RuleIds.NonConcurrentNewIndex), MessageFormat, Categories.Locking, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.NonConcurrentNewIndex), helpLinkUri: RuleIds.HelpUri(RuleIds.NonConcurrentNewIndex));

    public static readonly DiagnosticDescriptor VolatileDefaultOnNewProperty = new(RuleIds.VolatileDefaultOnNewProperty, TitleOf(RuleIds.VolatileDefaultOnNewProperty), MessageFormat, Categories.Locking, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: RecipeOf(RuleIds.VolatileDefaultOnNewProperty), helpLinkUri: RuleIds.HelpUri(RuleIds.VolatileDefaultOnNewProperty));

    /// <summary>The migration rules (SM0xxx, SM1xxx), reported by <see cref="MigrationCodeAnalyzer"/>.</summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> Migration = ImmutableArray.Create(
        SuppressionWithoutJustification,
        UnusedSuppression,
        RuleFailed,
        SuppressionAttributeNotFound,
        UnknownMigrationContext,
        NonConcurrentIndex,
        NonConcurrentDropIndex,
        NonTransactionalOperationNotAlone,
        RequiredColumnWithoutDefault,
        RewritingColumnDefault,
        RewritingTypeChange,
        SetNotNull,
        NarrowingTypeChange,
        RenameColumn,
        RenameTable,
        DropColumn,
        DropTable,
        ValidatedForeignKey,
        ValidatedCheckConstraint,
        UniqueConstraint,
        AddPrimaryKey,
        DataChangeWithSchemaChange,
        RawSql,
        JsonColumn,
        MissingDown,
        AddIdentityColumn,
        EnumValueChange,
        IdentifierTooLong,
        TypeDesign,
        KeyColumnTypeChange,
        ExclusiveMaintenance,
        DropNotNull,
        DomainConstraint,
        TransactionControlInSql,
        ExclusionConstraint,
        NonIdempotentNonTransactionalSql,
        ClrDefaultForExistingRows);

    /// <summary>The model rules (SM2xxx), reported by <see cref="ModelSnapshotAnalyzer"/>.</summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> Model = ImmutableArray.Create(
        RuleFailed,
        RemovedProperty,
        RenamedProperty,
        RequiredPropertyWithoutDefault,
        PropertyTypeChange,
        MaxLengthReduced,
        PropertyMadeRequired,
        RemovedEntity,
        TableNameChange,
        PendingModelChanges,
        NonConcurrentNewIndex,
        VolatileDefaultOnNewProperty);

    public static readonly ImmutableArray<DiagnosticDescriptor> All = Migration.AddRange(Model.Remove(RuleFailed));

    public static readonly ImmutableDictionary<string, DiagnosticDescriptor> ById = All.ToImmutableDictionary(d => d.Id);

    public static DiagnosticSeverity ToRoslyn(Severity severity) => severity switch
    {
        Severity.Error => DiagnosticSeverity.Error,
        Severity.Warning => DiagnosticSeverity.Warning,
        Severity.Info => DiagnosticSeverity.Info,
        _ => DiagnosticSeverity.Hidden,
    };

    private static string TitleOf(string id) => RuleCatalog.Find(id)!.Title;

    // The help link exists only when the packages were packed with a repository URL; the rule's full page is always
    // offline, so the description (shown with the diagnostic in the IDE) says where.
    private static string RecipeOf(string id) => RuleCatalog.Find(id)!.SafeRecipe + " " + RuleIds.OfflinePage(id);

    /// <summary>Diagnostic categories, one per Core rule category.</summary>
    internal static class Categories
    {
        public const string Compatibility = "SafeMigrations.Compatibility";
        public const string Configuration = "SafeMigrations.Configuration";
        public const string DataLoss = "SafeMigrations.DataLoss";
        public const string Design = "SafeMigrations.Design";
        public const string Locking = "SafeMigrations.Locking";
        public const string Transactions = "SafeMigrations.Transactions";
    }
}
