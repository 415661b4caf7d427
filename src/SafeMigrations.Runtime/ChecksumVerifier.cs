using SafeMigrations.Core.Rules;

namespace SafeMigrations.Runtime;

/// <summary>
/// SM4004: an applied migration whose SQL differs from the checksum its run recorded was edited after it ran. A
/// different EF Core major version (or --accept-checksums) records the new checksum with a note instead.
/// </summary>
internal static class ChecksumVerifier
{
    public static async Task VerifyAsync(RunSession session, IReadOnlySet<string> applied, SafeMigrationOptions options, List<string> notes, CancellationToken cancellationToken)
    {
        var recorded = await session.Audit.AppliedChecksumsAsync(cancellationToken).ConfigureAwait(false);
        var currentVersion = EfMigrations.ProductVersion;
        foreach (var migration in session.Migrations.All)
        {
            if (!applied.Contains(migration.Id) || !recorded.TryGetValue(migration.Id, out var was))
            {
                continue;
            }

            var checksum = EfMigrations.Checksum(session.Migrations.Up(migration));
            if (checksum == was.Checksum)
            {
                continue;
            }

            var efChanged = Major(was.ProductVersion) != Major(currentVersion);
            if (options.AcceptChecksumChanges || efChanged)
            {
                notes.Add(efChanged
                    ? $"{migration.Id}'s SQL differs from when EF Core {was.ProductVersion} applied it; EF Core is now {currentVersion}, whose SQL generation may differ. The new checksum is recorded."
                    : $"{migration.Id}'s changed checksum was accepted and recorded.");
                await session.Audit.RecordMigrationAsync(migration.Id, MigrationDirection.Up, checksum, DateTimeOffset.UtcNow, TimeSpan.Zero, "applied", "checksum accepted", null, []).ConfigureAwait(false);
                continue;
            }

            throw new SafeMigrationException(RuleIds.AppliedMigrationChanged,
                $"{migration.Id} is applied, but its SQL changed since (checksum {was.Checksum[..12]}… then, {checksum[..12]}… now): the change never reaches this database. Restore the migration as it was and put the change in a new migration; if the change is only EF's SQL generation, pass --accept-checksums.",
                migration.Id);
        }
    }

    private static string Major(string version) => version.Split('.')[0];
}
