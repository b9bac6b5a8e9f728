using ScalableApi.Bench;
using ScalableApi.Bench.Reporting;
using ScalableApi.Bench.Seeding;

// bench/run's C# half. bash orchestrates processes; this tool does what is easier typed: seeding our
// databases, logging users in for token files, and turning raw wrk results into results.json/.md and a chart.
const string Usage = """
    usage: ScalableApi.Bench <command> [options]
      seed    --users-db CS --catalog-db CS --content-db CS [--users N] [--products N] [--posts N] [--comments N] [--password P]
              ids 1..N straight into the services' PostgreSQL databases (after their migrations ran)
      tokens  --url BASE --out FILE [--count N] [--users N] [--password P] [--domain D]
              logs in N seeded users (user{i}@D) through POST BASE/api/auth/login, one access token per line
      prime   --url BASE --path "/api/products/{id}" [--count N] [--concurrency N]
              reads ids 1..N once so the measured runs find caches warm
      jobs    --url GATEWAY --admin-email E --admin-password P --catalog-db FILE --out DIR [--lines N] [--deletions N] [--batch N] [--catalog-pids P,P] --users-url URL
              import throughput through the gateway beside a batched-insert baseline, and the deletion cascade's delay (bench/jobs)
      env     --process users|catalog|content|gateway --gateway URL --data DIR [--redis HOST:PORT] [--postgres SERVER-CS]
              [--raised-rate-limits true] [--environment NAME]
              the topology contract for one process (what the AppHost gives it), as KEY=VALUE lines
      chaos   --url BASE --tokens FILE --content-db CS --label NAME --out FILE [--seconds N] [--readers N] [--writers N]
              [--products N] [--fault TEXT] [--fault-at S]
              steady reads and keyed writes during one fault of bench/chaos; counts failures by kind per second,
              then reads the content database for lost and duplicated posts
      staleness --url BASE --email E --password P --system NAME --out FILE [--product-id N] [--seconds N] [--connections N]
              a write every second through BASE (as admin E), anonymous reads back to back: how long reads still
              showed the old value after the write had answered (issue #13 point 5), one JSON line into FILE
      report  --dir DIR
              reads DIR's raw results (scenarios.jsonl, scaling.jsonl, soak.jsonl, soak-samples.csv, machine.txt,
              settings.txt) and writes results.json, results.md and chart.png there
    """;

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

try
{
    var options = Options.Parse(args.AsSpan(1));
    switch (args[0])
    {
        case "seed":
            await Seeder.RunAsync(SeedOptions.From(options));
            return 0;
        case "tokens":
            await TokenFetcher.RunAsync(options);
            return 0;
        case "prime":
            await CachePrimer.RunAsync(options);
            return 0;
        case "jobs":
            return await ScalableApi.Bench.Jobs.JobsBenchmark.RunAsync(options);
        case "env":
            return TopologyEnv.Run(options);
        case "chaos":
            return await ScalableApi.Bench.Chaos.ChaosLoad.RunAsync(options);
        case "staleness":
            return await StalenessProbe.RunAsync(options);
        case "report":
            return ReportWriter.Run(options.Required("dir"));
        default:
            Console.Error.WriteLine($"unknown command '{args[0]}'{Environment.NewLine}{Usage}");
            return 2;
    }
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}
