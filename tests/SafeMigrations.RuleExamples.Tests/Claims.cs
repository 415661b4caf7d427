namespace SafeMigrations.RuleExamples.Tests;

/// <summary>
/// What a rule page says PostgreSQL does when the violating example runs on a populated table, in a
/// fixed vocabulary the tests check against what they observe: "ACCESS EXCLUSIVE; rewrites the table;
/// changes existing rows". "(brief)" after the lock says it is held without scanning or rewriting. A
/// migration that fails is rolled back before its locks can be seen: its lock is not checked.
/// "—" says there is nothing to observe (a rule about the tool or about design).
/// </summary>
internal sealed record Claims(string? Lock, bool Brief, bool Scans, bool Rewrites, bool Fails, bool HalfApplied, bool ChangesRows, bool DeletesData, bool BreaksPreviousRelease)
{
    public static readonly IReadOnlyList<string> Locks =
    [
        "ACCESS EXCLUSIVE", "EXCLUSIVE", "SHARE ROW EXCLUSIVE", "SHARE", "SHARE UPDATE EXCLUSIVE", "ROW EXCLUSIVE", "ACCESS SHARE",
    ];

    public bool IsEmpty => Lock is null && !Scans && !Rewrites && !Fails && !HalfApplied && !ChangesRows && !DeletesData && !BreaksPreviousRelease;

    public static Claims Parse(string text)
    {
        var parts = text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        string? lockMode = null;
        bool brief = false, scans = false, rewrites = false, fails = false, half = false, changes = false, deletes = false, breaks = false;
        foreach (var part in parts)
        {
            switch (part)
            {
                case "—":
                    break;
                case "scans the table":
                    scans = true;
                    break;
                case "rewrites the table":
                    rewrites = true;
                    break;
                case "fails" or "fails on existing rows":
                    fails = true;
                    break;
                case "leaves it half applied":
                    fails = true;
                    half = true;
                    break;
                case "changes existing rows":
                    changes = true;
                    break;
                case "deletes data":
                    deletes = true;
                    break;
                case "breaks the previous release":
                    breaks = true;
                    break;
                default:
                    var name = part.EndsWith(" (brief)", StringComparison.Ordinal) ? part[..^" (brief)".Length] : part;
                    if (!Locks.Contains(name) || lockMode is not null)
                    {
                        throw new FormatException($"'{part}' is not in the vocabulary of 'Observed on PostgreSQL' (a lock such as ACCESS EXCLUSIVE, optionally '(brief)'; 'scans the table'; 'rewrites the table'; 'fails'; 'fails on existing rows'; 'leaves it half applied'; 'changes existing rows'; 'deletes data'; 'breaks the previous release'; or '—')");
                    }

                    lockMode = name;
                    brief = part.EndsWith(" (brief)", StringComparison.Ordinal);
                    break;
            }
        }

        return new Claims(lockMode, brief, scans, rewrites, fails, half, changes, deletes, breaks);
    }
}
