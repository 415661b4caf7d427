using System.Diagnostics;
using SafeMigrations.Core.Gate;

namespace SafeMigrations.Design.Tests;

/// <summary>Which lock entries only this working tree has, read from a real git repository.</summary>
[TestClass]
public sealed class CommittedLockFileTests
{
    private static readonly LockEntry Initial = new("20260101000000_Initial", MigrationsLockFile.Checksum("initial"));
    private static readonly LockEntry AddPriority = new("20260102000000_AddPriority", MigrationsLockFile.Checksum("add priority"));

    [TestMethod]
    public void Entries_not_in_HEADs_lock_file_are_provisional_and_outside_git_none_are()
    {
        var directory = Directory.CreateTempSubdirectory("safemig-lock-").FullName;
        try
        {
            var lockPath = Path.Combine(directory, "Migrations", "TodoDbContext.migrations.lock");
            Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
            File.WriteAllText(lockPath, MigrationsLockFile.Render("TodoDbContext", [Initial]));
            Assert.IsEmpty(CommittedLockFile.Provisional(lockPath, [Initial, AddPriority]), "not a repository: git cannot tell");

            Git(directory, "init", "-q");
            Git(directory, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "empty");
            CollectionAssert.AreEqual(new[] { Initial.MigrationId, AddPriority.MigrationId }, CommittedLockFile.Provisional(lockPath, [Initial, AddPriority]).ToList(), "a lock file never committed");

            Git(directory, "add", ".");
            Git(directory, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "initial");
            File.WriteAllText(lockPath, MigrationsLockFile.Render("TodoDbContext", [Initial, AddPriority]));
            CollectionAssert.AreEqual(new[] { AddPriority.MigrationId }, CommittedLockFile.Provisional(lockPath, [Initial, AddPriority]).ToList());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, error);
    }
}
