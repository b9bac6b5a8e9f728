using Microsoft.AspNetCore.Mvc.Testing;

namespace ScalableApi.Testing;

/// <summary>For tests of start-up validation: the host must refuse to start, and say why.</summary>
public static class StartupFailure
{
    /// <summary>
    /// Starts a host made by <paramref name="create"/> (through its <see cref="IAsyncLifetime.InitializeAsync"/> when it
    /// has one, as <see cref="ServiceFactory{TProgram}"/> creates its database there), fails the test if it starts,
    /// disposes it, and returns the messages of the exception that stopped it and of every exception inside it (YARP and
    /// the options validation both wrap theirs).
    /// </summary>
    /// <remarks>
    /// WebApplicationFactory runs Program on another thread; when that thread's start fails and disposes the host before
    /// the factory asks it for its lifetime, the factory throws ObjectDisposedException and the real exception is lost
    /// (dotnet/aspnetcore#33494, #38335). That says only "it did not start", not why, so a fresh host is tried again.
    /// </remarks>
    public static async Task<string> MessageAsync<TEntryPoint>(Func<WebApplicationFactory<TEntryPoint>> create)
        where TEntryPoint : class
    {
        const int Attempts = 5;
        Exception? exception = null;
        for (var attempt = 0; attempt < Attempts && (exception is null || LostToTheFactoryRace(exception)); attempt++)
        {
            var factory = create();
            if (factory is IAsyncLifetime lifetime)
            {
                exception = await Record.ExceptionAsync(lifetime.InitializeAsync);
                await lifetime.DisposeAsync();
            }
            else
            {
                exception = Record.Exception(() => factory.Server);
                await factory.DisposeAsync();
            }

            Assert.NotNull(exception);
        }

        Assert.NotNull(exception);
        return string.Join(Environment.NewLine, Messages(exception));
    }

    /// <summary>
    /// The rule of every options test: a host made by <paramref name="create"/> with the one setting
    /// <paramref name="key"/> = <paramref name="value"/> refuses to start, with a message naming the key.
    /// </summary>
    public static async Task AssertNamesKeyAsync<TEntryPoint>(Func<Dictionary<string, string?>, WebApplicationFactory<TEntryPoint>> create, string key, string value)
        where TEntryPoint : class
    {
        var message = await MessageAsync(() => create(new() { [key] = value }));

        Assert.Contains(key, message, StringComparison.Ordinal);
    }

    /// <summary>As above, for hosts started by hand (<c>WebApplication</c>).</summary>
    public static async Task AssertNamesKeyAsync(Func<Dictionary<string, string?>, Task> start, string key, string value)
    {
        var message = await MessageAsync(() => start(new() { [key] = value }));

        Assert.Contains(key, message, StringComparison.Ordinal);
    }

    private static bool LostToTheFactoryRace(Exception exception) =>
        exception is ObjectDisposedException { ObjectName: "IServiceProvider" } disposed
        && disposed.StackTrace?.Contains("DeferredHost", StringComparison.Ordinal) == true;

    /// <summary>For hosts started by hand (<c>WebApplication</c>): <paramref name="start"/> must throw; its messages, as above.</summary>
    public static async Task<string> MessageAsync(Func<Task> start)
    {
        var exception = await Record.ExceptionAsync(start);
        Assert.NotNull(exception);
        return string.Join(Environment.NewLine, Messages(exception));
    }

    private static IEnumerable<string> Messages(Exception exception)
    {
        yield return exception.Message;
        IEnumerable<Exception> inner = exception switch
        {
            AggregateException aggregate => aggregate.InnerExceptions,
            { InnerException: { } one } => [one],
            _ => [],
        };
        foreach (var message in inner.SelectMany(Messages))
        {
            yield return message;
        }
    }
}
