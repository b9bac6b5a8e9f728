// Throwaway spike (not product code): SIGKILL recovery of a Wolverine durable local queue on SQLite.
// usage: Spike <db> <donedb> <publish-count>   (publish-count 0: only process what is stored)
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wolverine;
using Wolverine.Sqlite;
using JasperFx.Resources;

var clock = Stopwatch.StartNew();
var db = args[0];
Done.File = args[1];
var publish = int.Parse(args[2]);
using (var c = new SqliteConnection($"Data Source={Done.File}")) { c.Open(); using var cmd = c.CreateCommand(); cmd.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS done (id INTEGER PRIMARY KEY, at INTEGER, pid INTEGER)"; cmd.ExecuteNonQuery(); }
var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.UseWolverine(opts =>
{
    opts.PersistMessagesWithSqlite($"Data Source={db}");
    opts.Policies.UseDurableLocalQueues();
    opts.LocalQueueFor<Work>().Sequential();
});
builder.Services.AddResourceSetupOnStartup();
var host = builder.Build();
await host.StartAsync();
Console.WriteLine($"started {clock.ElapsedMilliseconds} ms pid {Environment.ProcessId}");
if (publish > 0)
{
    var bus = host.Services.GetRequiredService<IMessageBus>();
    for (var i = 1; i <= publish; i++) await bus.PublishAsync(new Work(i));
    Console.WriteLine($"published {publish} at {clock.ElapsedMilliseconds} ms");
}
await host.WaitForShutdownAsync();

public record Work(int Id);

public static class Done
{
    public static string File = "";
}

public static class WorkHandler
{
    public static async Task Handle(Work work)
    {
        await Task.Delay(200);
        using var c = new SqliteConnection($"Data Source={Done.File}");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT OR IGNORE INTO done (id, at, pid) VALUES ($id, $at, $pid)";
        cmd.Parameters.AddWithValue("$id", work.Id);
        cmd.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$pid", Environment.ProcessId);
        cmd.ExecuteNonQuery();
    }
}
