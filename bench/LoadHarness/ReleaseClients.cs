using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace LoadHarness;

/// <summary>One request as the application saw it: when it was due, how long it took from then, and its error.</summary>
internal sealed record RequestRecord(string Release, string Kind, double DueSeconds, double LatencyMs, string? Error)
{
    public bool Failed => Error is not null;
}

/// <summary>A column of the schema a release was built against.</summary>
internal sealed record KnownColumn(string Table, string Name, string Type, bool IsIdentity);

/// <summary>
/// The application of one release: clients that send a Todo workload at a fixed rate (open loop: each request is
/// due at its time whatever the others do, and its latency counts from then, so a stall shows in every request it
/// held up). Each release reads and writes every column its model knows and no other: the previous release the
/// schema before the migration, the new release the schema after the whole change.
/// </summary>
internal sealed class ReleaseClients
{
    private readonly string release;
    private readonly NpgsqlDataSource database;
    private readonly int rate;
    private readonly int users;
    private readonly long items;
    private readonly Stopwatch clock;
    private readonly ConcurrentBag<RequestRecord> records;
    private readonly (string Kind, string Sql)[] mix;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> inFlight = [];
    private Task? loop;

    private ReleaseClients(string release, NpgsqlDataSource database, int rate, int users, long items, Stopwatch clock, ConcurrentBag<RequestRecord> records, (string, string)[] mix)
    {
        this.release = release;
        this.database = database;
        this.rate = rate;
        this.users = users;
        this.items = items;
        this.clock = clock;
        this.records = records;
        this.mix = mix;
    }

    /// <param name="known">The columns the release's model maps.</param>
    /// <param name="extra">Statements this release runs besides (a rule page's previous-release SQL).</param>
    public static ReleaseClients Start(string release, NpgsqlDataSource database, IReadOnlyList<KnownColumn> known, IReadOnlyList<string> extra, int rate, int users, long items, Stopwatch clock, ConcurrentBag<RequestRecord> records)
    {
        var todo = known.Where(c => c.Table == "todo_items").ToList();
        var user = known.Where(c => c.Table == "users").ToList();
        var readTodos = $"SELECT {List(todo)} FROM todo_items WHERE user_id = @user{(todo.Any(c => c.Name == "due_at") ? " ORDER BY due_at" : string.Empty)} LIMIT 20";
        var insertTodo = Insert("todo_items", todo);
        var updateTodo = "UPDATE todo_items SET is_done = NOT is_done" + string.Concat(todo.Where(c => c.Type is "text" || c.Type.StartsWith("character varying", StringComparison.Ordinal)).Select(c => $", {Quote(c.Name)} = {Quote(c.Name)}")) + " WHERE id = @id";
        var readUser = $"SELECT {List(user)} FROM users WHERE id = @user";
        var insertUser = Insert("users", user);
        // Twenty requests: 8 reads of a user's tasks, 4 new tasks, 5 updates, 2 reads of a user, 1 new user; the page's own statements replace reads.
        var mix = new List<(string, string)>();
        mix.AddRange(Enumerable.Repeat(("read tasks", readTodos), 8));
        mix.AddRange(Enumerable.Repeat(("insert task", insertTodo), 4));
        mix.AddRange(Enumerable.Repeat(("update task", updateTodo), 5));
        mix.AddRange(Enumerable.Repeat(("read user", readUser), 2));
        mix.Add(("insert user", insertUser));
        for (var i = 0; i < extra.Count && i < 4; i++)
        {
            mix[i * 2] = ("page statement", extra[i]);
        }

        var clients = new ReleaseClients(release, database, rate, users, items, clock, records, [.. mix]);
        clients.loop = clients.RunAsync();
        return clients;
    }

    /// <summary>Stops sending and waits for the requests in flight (each ends by its command timeout at the latest).</summary>
    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await loop!;
        Task[] pending;
        lock (inFlight)
        {
            pending = [.. inFlight];
        }

        await Task.WhenAll(pending);
    }

    private async Task RunAsync()
    {
        var start = clock.Elapsed.TotalSeconds;
        var random = new Random(release.GetHashCode(StringComparison.Ordinal));
        for (long n = 0; !stop.IsCancellationRequested; n++)
        {
            var due = start + (n / (double)rate);
            var wait = due - clock.Elapsed.TotalSeconds;
            if (wait > 0)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(wait), stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            var (kind, sql) = mix[n % mix.Length];
            var user = 1 + random.Next(users);
            var id = 1 + random.NextInt64(items);
            var request = SendAsync(kind, sql, due, user, id);
            lock (inFlight)
            {
                inFlight.RemoveAll(t => t.IsCompleted);
                inFlight.Add(request);
            }
        }
    }

    private async Task SendAsync(string kind, string sql, double due, int user, long id)
    {
        await Task.Yield();
        string? error = null;
        try
        {
            await using var command = database.CreateCommand(sql);
            command.CommandTimeout = 30;
            if (sql.Contains("@user", StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue("user", (long)user);
            }

            if (sql.Contains("@id", StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue("id", id);
            }

            if (sql.Contains("@row", StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue("row", Interlocked.Increment(ref nextRow));
            }

            await command.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            error = e is PostgresException p ? $"{p.SqlState}: {p.MessageText}" : e.Message;
        }

        records.Add(new RequestRecord(release, kind, due, (clock.Elapsed.TotalSeconds - due) * 1000, error));
    }

    /// <summary>The columns of the two tables as the database has them now (a release's model is a snapshot of this).</summary>
    public static async Task<List<KnownColumn>> ColumnsAsync(NpgsqlDataSource database)
    {
        var columns = new List<KnownColumn>();
        await using var command = database.CreateCommand(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attidentity <> '' OR a.attgenerated <> '' FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid " +
            "WHERE c.relname IN ('todo_items', 'users') AND c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add(new KnownColumn(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3)));
        }

        return columns;
    }

    private static string Insert(string table, List<KnownColumn> columns)
    {
        var written = columns.Where(c => !c.IsIdentity).ToList();
        return $"INSERT INTO {table} ({List(written)}) VALUES ({string.Join(", ", written.Select(Value))})";
    }

    /// <summary>
    /// A value for a column: a key points at an existing user; any other column gets verify's seeding value for its type
    /// (Core's SeedSql) for this request's row number, unique per row where the type allows (users.email is unique).
    /// </summary>
    private static string Value(KnownColumn column) =>
        column.Type == "bigint" && column.Name.EndsWith("_id", StringComparison.Ordinal) ? "@user"
        : SafeMigrations.Core.Verify.SeedSql.Value(new SafeMigrations.Core.Verify.SeedColumn(column.Name, column.Type, false, false, false, false, null, false), "@row") ?? "DEFAULT";

    /// <summary>Row numbers for inserted rows, above any the fixture made and within integer's range.</summary>
    private static long nextRow = 1_000_000_000;

    private static string List(IEnumerable<KnownColumn> columns) => string.Join(", ", columns.Select(c => Quote(c.Name)));

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
