using ScalableApi.Platform.Data;
using ScalableApi.Testing;

namespace ScalableApi.Platform.Tests;

/// <summary>The platform's behaviour is observed through a real service host (catalog) on SQLite.</summary>
public sealed class PlatformHost() : ServiceFactory<Program>(DatabaseEngine.Sqlite);
