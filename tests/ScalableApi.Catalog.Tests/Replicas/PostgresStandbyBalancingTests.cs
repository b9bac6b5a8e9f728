namespace ScalableApi.Catalog.Tests.Replicas;

/// <summary>
/// Two standbys of one primary with <c>Load Balance Hosts=true</c>: the service's reads that allow a standby land on
/// both (each read asks <c>inet_server_port()</c> through the service's own read path), and none on the primary.
/// </summary>
public sealed class PostgresStandbyBalancingTests(TwoStandbysFixture factory) : StandbySuite<TwoStandbysFixture>(factory)
{
    [SkippableFact]
    public async Task Reads_are_spread_over_both_standbys()
    {
        var database = Factory.Services.GetRequiredService<IDatabase>();
        int[] standbys = [Factory.SharedStandbyPort, Factory.Second.Port];
        await TestStandby.CaughtUpAsync(Factory.DatabaseName);
        await Factory.Second.CaughtUpAsync(Factory.DatabaseName);
        await Eventually.HoldsAsync(
            async () => (await PortsAsync(database, 20)).SetEquals(standbys),
            "reads reach both standbys");

        var ports = await PortsAsync(database, 40);
        Assert.Equal(standbys.Order(), ports.Order());
    }

    private static async Task<HashSet<int>> PortsAsync(IDatabase database, int reads)
    {
        var ports = new HashSet<int>();
        for (var i = 0; i < reads; i++)
        {
            ports.Add(await database.ReadAsync(
                ReadConsistency.Any,
                async connection =>
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = "SELECT inet_server_port()";
                    return (int)(await command.ExecuteScalarAsync())!;
                },
                CancellationToken.None));
        }

        return ports;
    }
}
