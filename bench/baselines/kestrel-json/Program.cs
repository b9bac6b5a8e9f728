// The ceiling bench/run measures every other system against: the TechEmpower "json" test shape on bare Kestrel.
// No middleware, no logging providers, no metrics, so whatever our services cost above this is their own work.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();

var app = builder.Build();
app.MapGet("/json", () => TypedResults.Json(new Message("Hello, World!"), MessageContext.Default.Message));
app.MapGet("/health", () => TypedResults.Ok());
app.Run();

internal sealed record Message(string message);

[System.Text.Json.Serialization.JsonSerializable(typeof(Message))]
internal sealed partial class MessageContext : System.Text.Json.Serialization.JsonSerializerContext;
