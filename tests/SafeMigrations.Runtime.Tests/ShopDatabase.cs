using Npgsql;
using SafeMigrations.Runtime.Fixture;
using SafeMigrations.Testing;

namespace SafeMigrations.Runtime.Tests;

/// <summary>A fresh database for one test, and the queries the tests ask of it.</summary>
internal sealed class ShopDatabase : IAsyncDisposable
{
    private ShopDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<ShopDatabase> CreateAsync(string owner) => new(await SharedPostgres.CreateDatabaseAsync(owner));

    /// <summary>A database of a cluster the test started itself.</summary>
    public static ShopDatabase On(string connectionString) => new(connectionString);

    /// <summary>A copy of <paramref name="template"/> (a database nobody is connected to).</summary>
    public static async Task<ShopDatabase> CreateFromTemplateAsync(string owner, string template) => new(await SharedPostgres.CreateDatabaseAsync(owner, template));

    /// <summary>Fast options for tests: short waits between retries and lock polls.</summary>
    public static SafeMigrationOptions Options(SafeMigrationOptions? options = null) => (options ?? new SafeMigrationOptions()) with
    {
        FirstRetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryDelay = TimeSpan.FromMilliseconds(300),
        Lock = new MigrationLockOptions { FirstPollInterval = TimeSpan.FromMilliseconds(10), MaxPollInterval = TimeSpan.FromMilliseconds(100) },
    };

    public ShopContext Context(string name) => ShopContexts.Create(name, ConnectionString);

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task<List<string>> ColumnAsync(string sql)
    {
        var values = new List<string>();
        await using var command = DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.IsDBNull(0) ? "<null>" : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return values;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public Task<List<string>> HistoryAsync() => ColumnAsync("SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY 1");

    public Task<bool> ColumnExistsAsync(string table, string column) =>
        ScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = '{table}' AND column_name = '{column}')");

    /// <summary>A digest of every customer row's original columns: equal before and after means no row was lost or changed.</summary>
    public Task<string> CustomersDigestAsync() =>
        ScalarAsync<string>("SELECT coalesce(md5(string_agg(id || ':' || name || ':' || coalesce(email, ''), ',' ORDER BY id)), '') || ':' || count(*) FROM customers");

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await SharedPostgres.DropDatabaseAsync(ConnectionString);
    }
}
