using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace SafeMigrations.Core.Gate;

/// <summary>A recorded migration: its id and the checksum of what it does.</summary>
public sealed record LockEntry(string MigrationId, string Checksum);

/// <summary>What reading a lock file found.</summary>
public sealed record LockFileContent(IReadOnlyList<LockEntry> Entries)
{
    /// <summary>Why the file cannot be trusted (malformed, hand-edited); null when it is sound.</summary>
    public string? Problem { get; init; }

    /// <summary>Git merge conflict markers: the migrations each side recorded (two branches added migrations).</summary>
    public (IReadOnlyList<LockEntry> Ours, IReadOnlyList<LockEntry> Theirs)? Conflict { get; init; }
}

/// <summary>
/// The migrations lock file: one line per migration with the checksum of its operations, and a sum
/// line over them all (as atlas.sum), so two branches that each add a migration change the same line and
/// conflict in git. Written by the build gate; the developer never edits it.
/// </summary>
public static class MigrationsLockFile
{
    public const string Extension = ".migrations.lock";
    private const string SumKeyword = "sum";
    private const string HashPrefix = "h1:";
    private static readonly char[] Separators = [' ', '\t'];

    /// <summary>The checksum of a migration from the canonical text of its operations (SHA-256, base64).</summary>
    public static string Checksum(string canonicalOperations)
    {
        using var sha = SHA256.Create();
        return HashPrefix + Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(canonicalOperations ?? string.Empty)));
    }

    public static string Render(string contextName, IReadOnlyList<LockEntry> entries)
    {
        var text = new StringBuilder()
            .Append("# SafeMigrations lock file for ").Append(contextName).Append(": written by the build, do not edit it.\n")
            .Append("# A merge conflict here means two branches added migrations: keep the side merged first and build again.\n")
            .Append(SumKeyword).Append(' ').Append(Sum(entries)).Append('\n');
        foreach (var entry in entries)
        {
            text.Append(entry.MigrationId).Append(' ').Append(entry.Checksum).Append('\n');
        }

        return text.ToString();
    }

    public static LockFileContent Parse(string text)
    {
        var lines = (text ?? string.Empty).Replace("\r\n", "\n").Split('\n');
        if (lines.Any(l => l.StartsWith("<<<<<<<", StringComparison.Ordinal) || l.StartsWith(">>>>>>>", StringComparison.Ordinal)))
        {
            return ParseConflict(lines);
        }

        var entries = new List<LockEntry>();
        string? sum = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !parts[1].StartsWith(HashPrefix, StringComparison.Ordinal))
            {
                return new LockFileContent(entries) { Problem = $"line {i + 1} is not '<migration id> h1:<checksum>'" };
            }

            if (parts[0] == SumKeyword)
            {
                sum = parts[1];
            }
            else if (entries.Count > 0 && string.CompareOrdinal(entries[entries.Count - 1].MigrationId, parts[0]) >= 0)
            {
                return new LockFileContent(entries) { Problem = $"line {i + 1}: migration {parts[0]} is out of order" };
            }
            else
            {
                entries.Add(new LockEntry(parts[0], parts[1]));
            }
        }

        if (sum is null)
        {
            return new LockFileContent(entries) { Problem = "it has no 'sum' line" };
        }

        return sum == Sum(entries)
            ? new LockFileContent(entries)
            : new LockFileContent(entries) { Problem = "its sum does not match its lines (it was edited by hand)" };
    }

    private static LockFileContent ParseConflict(string[] lines)
    {
        var ours = new List<LockEntry>();
        var theirs = new List<LockEntry>();
        var side = 0; // 0: both, 1: ours, 2: theirs
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            var marker = line.Length >= 7 ? line.Substring(0, 7) : string.Empty;
            if (marker is "<<<<<<<" or "=======" or ">>>>>>>" or "|||||||")
            {
                // Lines between ||||||| and ======= are the common ancestor's (diff3 style): neither side.
                side = marker switch { "<<<<<<<" => 1, "=======" => 2, "|||||||" => 3, _ => 0 };
                continue;
            }

            var parts = line.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
            if (line.StartsWith("#", StringComparison.Ordinal) || parts.Length != 2 || parts[0] == SumKeyword || side == 3)
            {
                continue;
            }

            var entry = new LockEntry(parts[0], parts[1]);
            if (side != 2)
            {
                ours.Add(entry);
            }

            if (side != 1)
            {
                theirs.Add(entry);
            }
        }

        return new LockFileContent(Array.Empty<LockEntry>()) { Conflict = (ours, theirs) };
    }

    private static string Sum(IEnumerable<LockEntry> entries)
    {
        var text = new StringBuilder();
        foreach (var entry in entries)
        {
            text.Append(entry.MigrationId).Append(' ').Append(entry.Checksum).Append('\n');
        }

        return Checksum(text.ToString());
    }
}
