namespace SafeMigrations.Core.Rules;

/// <summary>
/// Every rule id, in one place. Ids are a contract between the analyzers, the build gate, the CLI
/// and the docs: add new ones at the end of a range, never reuse or renumber one.
/// </summary>
public static class RuleIds
{

    public const string SuppressionWithoutJustification = "SM0001";
    public const string UnusedSuppression = "SM0002";
    public const string RuleFailed = "SM0003";
    public const string SuppressionAttributeNotFound = "SM0004";
    public const string UnknownMigrationContext = "SM0005";

    public const string NonConcurrentIndex = "SM1001";
    public const string NonConcurrentDropIndex = "SM1002";
    public const string NonTransactionalOperationNotAlone = "SM1003";
    public const string RequiredColumnWithoutDefault = "SM1004";
    public const string RewritingColumnDefault = "SM1005";
    public const string RewritingTypeChange = "SM1006";
    public const string SetNotNull = "SM1007";
    public const string NarrowingTypeChange = "SM1008";
    public const string RenameColumn = "SM1009";
    public const string RenameTable = "SM1010";
    public const string DropColumn = "SM1011";
    public const string DropTable = "SM1012";
    public const string ValidatedForeignKey = "SM1013";
    public const string ValidatedCheckConstraint = "SM1014";
    public const string UniqueConstraint = "SM1015";
    public const string AddPrimaryKey = "SM1016";
    public const string DataChangeWithSchemaChange = "SM1017";
    public const string RawSql = "SM1018";
    public const string JsonColumn = "SM1019";
    public const string MissingDown = "SM1020";
    public const string AddIdentityColumn = "SM1021";
    public const string EnumValueChange = "SM1022";
    public const string IdentifierTooLong = "SM1023";
    public const string TypeDesign = "SM1024";
    public const string KeyColumnTypeChange = "SM1025";
    public const string ExclusiveMaintenance = "SM1026";
    public const string DropNotNull = "SM1027";
    public const string DomainConstraint = "SM1028";
    public const string TransactionControlInSql = "SM1029";
    public const string ExclusionConstraint = "SM1030";
    public const string NonIdempotentNonTransactionalSql = "SM1031";
    public const string ClrDefaultForExistingRows = "SM1032";

    public const string RemovedProperty = "SM2001";
    public const string RenamedProperty = "SM2002";
    public const string RequiredPropertyWithoutDefault = "SM2003";
    public const string PropertyTypeChange = "SM2004";
    public const string MaxLengthReduced = "SM2005";
    public const string PropertyMadeRequired = "SM2006";
    public const string RemovedEntity = "SM2007";
    public const string TableNameChange = "SM2008";
    public const string PendingModelChanges = "SM2009";
    public const string NonConcurrentNewIndex = "SM2010";
    public const string VolatileDefaultOnNewProperty = "SM2011";

    public const string UncapturedModelChanges = "SM3001";
    public const string NonLinearMigrationHistory = "SM3002";
    public const string RecordedMigrationEdited = "SM3003";
    public const string DesignHostFailed = "SM3004";
    public const string PreviousReleaseBroken = "SM3005";
    public const string ModelSnapshotLostTables = "SM3006";
    public const string BackfillTargetMissing = "SM3007";

    public const string LockTimeoutRetriesExhausted = "SM4001";
    public const string IntegrityCheckFailed = "SM4002";
    public const string LiveSchemaDrift = "SM4003";
    public const string AppliedMigrationChanged = "SM4004";
    public const string ObservedBlockingLock = "SM4005";
    public const string RollbackChangedSchema = "SM4006";
    public const string BlockedApplicationQueries = "SM4007";
    public const string MigrationFailed = "SM4008";
    public const string RollbackRefused = "SM4009";
    public const string NothingToRestore = "SM4010";

    /// <summary>
    /// The address of a rule's page, under the docs URL set once at pack time from the repository the
    /// packages are published from (SafeMigrationsDocsUrl, from RepositoryUrl, in Directory.Build.props).
    /// Empty when a build has none: no address is invented, and the pages ship in the analyzers' package
    /// (docs/rules/&lt;id&gt;.md).
    /// </summary>
    public static string HelpUri(string id) => HelpBase.Length == 0 ? string.Empty : HelpBase + id + ".md";

    /// <summary>Where a rule's full page is without a network: the tool prints it, the analyzers' package holds it.</summary>
    public static string OfflinePage(string id) => $"Full page: 'dotnet safemig explain {id}', or docs/rules/{id}.md in the SafeMigrations.Analyzers package.";

    /// <summary>The base URL of the rule pages this build was packed with, or empty.</summary>
    public static string HelpBase { get; } = DocsUrl();

    private static string DocsUrl()
    {
        foreach (var attribute in typeof(RuleIds).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), inherit: false))
        {
            if (attribute is System.Reflection.AssemblyMetadataAttribute { Key: "SafeMigrationsDocsUrl", Value: { Length: > 0 } url })
            {
                return url.EndsWith("/", System.StringComparison.Ordinal) ? url : url + "/";
            }
        }

        return string.Empty;
    }
}
