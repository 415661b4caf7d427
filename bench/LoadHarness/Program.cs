// Zero downtime, measured (docs/benchmarks.md, "Under load"): every scenario's naive and safe variant against a
// populated database while both releases' clients send requests at a fixed rate.
//   dotnet run --project bench/LoadHarness -c Release -- [--rows 2000000] [--rate 100] [--scenarios SM1001,SM1009] [--plots docs/benchmarks/load] [--smoke]
// A throwaway embedded PostgreSQL unless SAFEMIGRATIONS_CONNECTION_STRING names a server.
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine("dotnet run --project bench/LoadHarness -c Release -- [--rows 2000000] [--rate 100] [--scenarios SM1001,SM1009|none] [--backfill|--no-backfill] [--plots <dir>] [--smoke]\nEvery rule scenario naive (EF Migrate) against safe (the runner) under both releases' load, then the backfill of every row (one UPDATE, batched, throttled). Plots only with --plots (bench/run-all: docs/benchmarks/load). About 20 minutes at the defaults; --smoke: 20,000 rows, seconds.");
    return;
}

await LoadHarness.LoadRun.RunAsync(args, Console.Out);
