
namespace ScalableApi.Testing;

/// <summary>Waiting for something that happens "a moment later" (a backplane message, a reconnect) with a deadline, never a sleep.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what}: not within {seconds} s.");
            await Task.Delay(10);
        }
    }
}
