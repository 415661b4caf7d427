// Zero downtime, measured (docs/benchmarks.md, "Under load"): every scenario's naive and safe variant against a
// populated database while both releases' clients send requests at a fixed rate.
//   dotnet run --project bench/LoadHarness -c Release -- [--rows 2000000] [--rate 100] [--scenarios SM1001,SM1009] [--plots docs/benchmarks/load] [--smoke]
// A throwaway embedded PostgreSQL unless SAFEMIGRATIONS_CONNECTION_STRING names a server.
await LoadHarness.LoadRun.RunAsync(args, Console.Out);
