using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SafeMigrations.Testing;
using Todo.Backend.Data;

namespace Todo.Backend.Tests;

/// <summary>The API over real HTTP on loopback, against a migrated and seeded PostgreSQL database.</summary>
[TestClass]
public sealed class EndpointTests
{
    private static string connectionString = null!;
    private static WebApplication app = null!;
    private static HttpClient http = null!;
    private static int adminId;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartApplication(TestContext context)
    {
        connectionString = await SharedPostgres.CreateDatabaseAsync("endpoints");
        app = TodoApplication.Build([], connectionString, builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
        });
        await TodoApplication.PrepareDatabaseAsync(app.Services, "admin-password", context.CancellationToken);
        await app.StartAsync(context.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        http = new HttpClient { BaseAddress = new Uri(address) };
        var users = await http.GetFromJsonAsync<JsonElement>("/api/users", context.CancellationToken);
        adminId = users.EnumerateArray().Single(u => u.GetProperty("email").GetString() == TodoSeeder.AdminEmail).GetProperty("id").GetInt32();
    }

    [ClassCleanup]
    public static async Task StopApplication()
    {
        http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        await SharedPostgres.DropDatabaseAsync(connectionString);
    }

    [TestMethod]
    public async Task Prometheus_scrapes_the_runners_metrics_of_the_startup_migrations()
    {
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.CancellationToken);
        double Value(string name, string label) =>
            metrics.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal))
                .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Sum();

        // The backend's four migrations went up at startup (other tests of this process may have run more).
        Assert.IsGreaterThanOrEqualTo(4, Value("safemigrations_migrations_total", "outcome=\"applied\""), metrics);
        Assert.IsGreaterThanOrEqualTo(1, Value("safemigrations_runs_total", "outcome=\"succeeded\""), metrics);
        Assert.IsGreaterThanOrEqualTo(4, Value("safemigrations_migration_duration_milliseconds_count", string.Empty), metrics);
        StringAssert.Contains(metrics, "safemigrations_lock_held_seconds", "the gauge an alert on a lock held too long reads");
    }

    [TestMethod]
    public void Every_metric_the_alerts_dashboard_and_monitoring_page_name_is_one_the_runner_publishes()
    {
        // Prometheus's names for the runner's instruments: dots to underscores, the unit, _total for counters.
        var published = new HashSet<string>(StringComparer.Ordinal);
        using (var listener = new System.Diagnostics.Metrics.MeterListener())
        {
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == SafeMigrations.Runtime.SafeMigrationsTelemetry.Name)
                {
                    var unit = instrument.Unit switch { "ms" => "_milliseconds", "s" => "_seconds", _ => string.Empty };
                    var counter = instrument.GetType().Name.StartsWith("Counter", StringComparison.Ordinal);
                    published.Add(instrument.Name.Replace('.', '_') + unit + (counter ? "_total" : string.Empty));
                }
            };
            listener.Start();
        }

        var docs = new[] { "docs/monitoring.md", "docs/monitoring/alerts.yml", "docs/monitoring/alerts.test.yml", "docs/monitoring/dashboard.json" }
            .Select(path => File.ReadAllText(Path.Combine(RepositoryRoot.Path, path)));
        var named = docs.SelectMany(text => System.Text.RegularExpressions.Regex.Matches(text, "safemigrations_[a-z_]+").Select(m => m.Value))
            .Select(name => System.Text.RegularExpressions.Regex.Replace(name, "_(bucket|count|sum)$", string.Empty))
            .ToHashSet(StringComparer.Ordinal);
        Assert.IsNotEmpty(published);
        CollectionAssert.IsSubsetOf(named.ToList(), published.ToList(), "published: " + string.Join(", ", published));
        CollectionAssert.IsSubsetOf(published.ToList(), named.ToList(), "docs/monitoring.md lists every metric");
    }

    [TestMethod]
    public async Task A_real_Prometheus_scrapes_the_backend_evaluates_the_alert_rules_and_answers_every_dashboard_query()
    {
        var monitoring = Path.Combine(RepositoryRoot.Path, "docs", "monitoring");
        if (Executable("prometheus") is not { } prometheus || Executable("promtool") is not { } promtool)
        {
            Assert.Inconclusive("Prometheus is not installed (apt-get install prometheus): the alert rules and dashboard queries run only where it is.");
            return;
        }

        // The alert rules' unit tests: each alert fires on the trouble it is for, and not without it.
        var (unitExit, unitOutput) = await RunAsync(promtool, ["test", "rules", Path.Combine(monitoring, "alerts.test.yml")], TimeSpan.FromMinutes(1));
        Assert.AreEqual(0, unitExit, unitOutput);

        // A real server scraping this backend every second, with the rules loaded.
        var work = Directory.CreateTempSubdirectory("safemigrations-prometheus");
        var port = FreePort();
        var target = http.BaseAddress!.Authority;
        await File.WriteAllTextAsync(Path.Combine(work.FullName, "prometheus.yml"), $$"""
            global: { scrape_interval: 1s, evaluation_interval: 1s }
            rule_files: [ "{{Path.Combine(monitoring, "alerts.yml")}}" ]
            scrape_configs:
              - job_name: todo
                static_configs: [ { targets: [ "{{target}}" ] } ]
            """, TestContext.CancellationToken);
        using var server = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(prometheus)
        {
            ArgumentList = { "--config.file=" + Path.Combine(work.FullName, "prometheus.yml"), "--storage.tsdb.path=" + Path.Combine(work.FullName, "data"), $"--web.listen-address=127.0.0.1:{port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/v1/") };
            async Task<JsonElement> Query(string expression) =>
                await api.GetFromJsonAsync<JsonElement>("query?query=" + Uri.EscapeDataString(expression), TestContext.CancellationToken);

            // Until three scrapes of the runner's counters are in and every rule has been evaluated.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            JsonElement rules = default;
            while (true)
            {
                await Task.Delay(500, TestContext.CancellationToken);
                try
                {
                    var samples = await Query("count_over_time(safemigrations_runs_total[1m])");
                    rules = (await api.GetFromJsonAsync<JsonElement>("rules", TestContext.CancellationToken)).GetProperty("data").GetProperty("groups")[0].GetProperty("rules");
                    if (samples.GetProperty("data").GetProperty("result").EnumerateArray().Any(r => double.Parse(r.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= 3)
                        && rules.EnumerateArray().All(r => r.GetProperty("health").GetString() != "unknown"))
                    {
                        break;
                    }
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline)
                {
                    // not listening yet
                }

                Assert.IsLessThan(deadline, DateTime.UtcNow, "Prometheus did not scrape the backend in time");
            }

            Assert.AreEqual(4, rules.GetArrayLength());
            foreach (var rule in rules.EnumerateArray())
            {
                Assert.AreEqual("ok", rule.GetProperty("health").GetString(), rule.ToString());
                Assert.AreEqual("inactive", rule.GetProperty("state").GetString(), "the startup migrations succeeded: " + rule);
            }

            // Every dashboard panel's query, with Grafana's $__rate_interval as a minute; the runner's own series answer.
            using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(monitoring, "dashboard.json"), TestContext.CancellationToken));
            var answered = new List<string>();
            foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
            {
                foreach (var query in panel.GetProperty("targets").EnumerateArray())
                {
                    var expression = query.GetProperty("expr").GetString()!.Replace("$__rate_interval", "1m", StringComparison.Ordinal);
                    var answer = await Query(expression);
                    Assert.AreEqual("success", answer.GetProperty("status").GetString(), expression + ": " + answer);
                    if (answer.GetProperty("data").GetProperty("result").GetArrayLength() > 0)
                    {
                        answered.Add(panel.GetProperty("title").GetString()!);
                    }
                }
            }

            CollectionAssert.IsSubsetOf(new[] { "Runs by outcome", "Migrations applied and failed", "Migration lock held now" }, answered, "answered: " + string.Join(", ", answered));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(TestContext.CancellationToken);
            work.Delete(recursive: true);
        }
    }

    private static string? Executable(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, TimeSpan timeout)
    {
        var start = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await output + await error);
    }

    [TestMethod]
    public async Task Health_reports_ok_when_the_database_answers()
    {
        using var response = await http.GetAsync(new Uri("/health", UriKind.Relative), TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("ok", (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.CancellationToken)).GetProperty("status").GetString());
    }

    [TestMethod]
    public async Task A_task_can_be_created_read_updated_and_deleted()
    {
        using var created = await http.PostAsJsonAsync("/api/tasks", new { title = "Write the rollout plan", ownerId = adminId, priority = "High" }, TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.Created, created.StatusCode);
        var task = await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.CancellationToken);
        var id = task.GetProperty("id").GetInt32();
        Assert.AreEqual($"/api/tasks/{id}", created.Headers.Location!.OriginalString);
        Assert.AreEqual("High", task.GetProperty("priority").GetString());
        Assert.IsFalse(task.GetProperty("completed").GetBoolean());

        var read = await http.GetFromJsonAsync<JsonElement>($"/api/tasks/{id}", TestContext.CancellationToken);
        Assert.AreEqual("Write the rollout plan", read.GetProperty("title").GetString());

        using var updated = await http.PutAsJsonAsync($"/api/tasks/{id}", new { completed = true }, TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.OK, updated.StatusCode);
        var after = await updated.Content.ReadFromJsonAsync<JsonElement>(TestContext.CancellationToken);
        Assert.IsTrue(after.GetProperty("completed").GetBoolean());
        Assert.AreEqual("Write the rollout plan", after.GetProperty("title").GetString(), "fields absent from the update are kept");
        Assert.IsGreaterThan(read.GetProperty("updatedAt").GetDateTimeOffset(), after.GetProperty("updatedAt").GetDateTimeOffset());

        using var deleted = await http.DeleteAsync(new Uri($"/api/tasks/{id}", UriKind.Relative), TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await http.GetAsync(new Uri($"/api/tasks/{id}", UriKind.Relative), TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.NotFound, gone.StatusCode);
        using var deletedAgain = await http.DeleteAsync(new Uri($"/api/tasks/{id}", UriKind.Relative), TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.NotFound, deletedAgain.StatusCode);
    }

    [TestMethod]
    public async Task A_task_without_a_title_or_with_an_unknown_owner_is_rejected_with_field_errors()
    {
        using var noTitle = await http.PostAsJsonAsync("/api/tasks", new { title = "", ownerId = adminId }, TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.BadRequest, noTitle.StatusCode);
        var errors = (await noTitle.Content.ReadFromJsonAsync<JsonElement>(TestContext.CancellationToken)).GetProperty("errors");
        Assert.IsTrue(errors.TryGetProperty("title", out _), errors.ToString());

        using var tooLong = await http.PostAsJsonAsync("/api/tasks", new { title = new string('x', 256), ownerId = adminId }, TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.BadRequest, tooLong.StatusCode);

        using var unknownOwner = await http.PostAsJsonAsync("/api/tasks", new { title = "Orphan", ownerId = 999_999 }, TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.BadRequest, unknownOwner.StatusCode);
        Assert.IsTrue((await unknownOwner.Content.ReadFromJsonAsync<JsonElement>(TestContext.CancellationToken)).GetProperty("errors").TryGetProperty("ownerId", out _));
    }

    [TestMethod]
    public async Task Listing_filters_by_owner_and_completion_and_pages()
    {
        using var userResponse = await http.PostAsJsonAsync("/api/users", new { email = "lister@example.com", password = "long-enough-password" }, TestContext.CancellationToken);
        var ownerId = (await userResponse.Content.ReadFromJsonAsync<JsonElement>(TestContext.CancellationToken)).GetProperty("id").GetInt32();
        foreach (var (title, completed) in new[] { ("a", false), ("b", true), ("c", true) })
        {
            using var created = await http.PostAsJsonAsync("/api/tasks", new { title, ownerId }, TestContext.CancellationToken);
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.CancellationToken)).GetProperty("id").GetInt32();
            if (completed)
            {
                using var _ = await http.PutAsJsonAsync($"/api/tasks/{id}", new { completed = true }, TestContext.CancellationToken);
            }
        }

        var done = await http.GetFromJsonAsync<JsonElement>($"/api/tasks?ownerId={ownerId}&completed=true", TestContext.CancellationToken);
        Assert.AreEqual(2, done.GetProperty("count").GetInt32());
        CollectionAssert.AreEqual(new[] { "b", "c" }, done.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("title").GetString()).ToArray());

        var page = await http.GetFromJsonAsync<JsonElement>($"/api/tasks?ownerId={ownerId}&skip=1&limit=1", TestContext.CancellationToken);
        Assert.AreEqual(3, page.GetProperty("count").GetInt32());
        Assert.AreEqual("b", page.GetProperty("data")[0].GetProperty("title").GetString());

        using var badPage = await http.GetAsync(new Uri("/api/tasks?limit=0", UriKind.Relative), TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.BadRequest, badPage.StatusCode);
    }

    [TestMethod]
    public async Task Users_are_validated_and_e_mail_addresses_are_unique()
    {
        using var invalid = await http.PostAsJsonAsync("/api/users", new { email = "not-an-email", password = "short" }, TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>(TestContext.CancellationToken)).GetProperty("errors");
        Assert.IsTrue(errors.TryGetProperty("email", out _) && errors.TryGetProperty("password", out _), errors.ToString());

        using var created = await http.PostAsJsonAsync("/api/users", new { email = "Dup@Example.com", password = "long-enough-password" }, TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadAsStringAsync(TestContext.CancellationToken);
        Assert.DoesNotContain("long-enough-password", body);
        Assert.DoesNotContain("hashed", body, StringComparison.OrdinalIgnoreCase);

        using var duplicate = await http.PostAsJsonAsync("/api/users", new { email = "dup@example.com", password = "another-password" }, TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.Conflict, duplicate.StatusCode);
    }
}
