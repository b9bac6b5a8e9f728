using System.Text.Json.Nodes;

namespace ScalableApi.Gateway.ApiReference;

/// <summary>One service's OpenAPI document and the cluster the gateway reaches it through (null: the gateway's own endpoints).</summary>
internal sealed record SourceDocument(string Name, string? ClusterId, JsonObject Document);

/// <summary>
/// Merges the services' OpenAPI documents into the one a client of the gateway sees: only operations some gateway route
/// reaches, their schemas (renamed with the service's name when two services mean different things by one name), and
/// what the gateway adds on the way: the bearer token its route policies ask for, and the problem+json errors it
/// answers itself (401/403 from those policies, 429 rate limits, 503 overload or no healthy replica, 413/400 bodies).
/// Every error status of every operation is described as problem+json, as SPEC §2 promises.
/// </summary>
internal static class ApiDocumentMerger
{
    private const string SchemaRefPrefix = "#/components/schemas/";
    private const string ProblemJson = "application/problem+json";
    internal const string ProblemSchema = "ProblemDetails";
    internal const string BearerScheme = "bearer";

    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    public static JsonObject Merge(IReadOnlyList<SourceDocument> sources, IReadOnlyList<ProxiedRoute> routes, string title)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        var tags = new JsonArray();
        var tagNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            var document = (JsonObject)source.Document.DeepClone();
            RenameConflictingSchemas(document, source.Name, schemas);
            if (document["components"]?["schemas"] is JsonObject own)
            {
                foreach (var (name, schema) in own.ToArray())
                {
                    if (!schemas.ContainsKey(name))
                    {
                        own.Remove(name);
                        schemas[name] = schema;
                    }
                }
            }

            foreach (var tag in document["tags"]?.AsArray() ?? [])
            {
                if (tag?["name"]?.GetValue<string>() is { } name && tagNames.Add(name))
                {
                    tags.Add(tag.DeepClone());
                }
            }

            AddPaths(source, document, routes, paths);
        }

        if (!schemas.ContainsKey(ProblemSchema))
        {
            schemas[ProblemSchema] = ProblemDetailsSchema();
        }

        return new JsonObject
        {
            ["openapi"] = sources.Select(s => s.Document["openapi"]?.GetValue<string>()).FirstOrDefault(v => v is not null) ?? "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = title,
                ["version"] = "v1",
                ["description"] = "Every public route of every service, as a client sees it through the gateway. "
                    + "Errors are application/problem+json (RFC 9457) with status, title and traceId.",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JsonObject
                {
                    [BearerScheme] = new JsonObject
                    {
                        ["type"] = "http",
                        ["scheme"] = "bearer",
                        ["bearerFormat"] = "JWT",
                        ["description"] = "An access token from POST /api/auth/login.",
                    },
                },
            },
            ["tags"] = tags,
        };
    }

    private static void AddPaths(SourceDocument source, JsonObject document, IReadOnlyList<ProxiedRoute> routes, JsonObject paths)
    {
        foreach (var (path, item) in document["paths"]?.AsObject() ?? [])
        {
            if (item is not JsonObject operations)
            {
                continue;
            }

            foreach (var method in Methods)
            {
                if (operations[method] is not JsonObject operation)
                {
                    continue;
                }

                ProxiedRoute? route = null;
                if (source.ClusterId is { } cluster
                    && (route = GatewayRouteTable.Find(routes, cluster, method.ToUpperInvariant(), path)) is null)
                {
                    continue; // the service has it, but no gateway route reaches it
                }

                var target = paths[path] as JsonObject ?? (JsonObject)(paths[path] = new JsonObject());
                if (operations["parameters"] is JsonArray shared && target["parameters"] is null)
                {
                    target["parameters"] = shared.DeepClone();
                }

                operations.Remove(method);
                AddGatewayResponses(operation, route);
                target[method] = operation;
            }
        }
    }

    /// <summary>What the gateway itself can answer on a proxied or own operation, and problem+json for every error.</summary>
    private static void AddGatewayResponses(JsonObject operation, ProxiedRoute? route)
    {
        var responses = operation["responses"] as JsonObject ?? (JsonObject)(operation["responses"] = new JsonObject());
        if (route?.AuthorizationPolicy is { } policy)
        {
            operation["security"] = new JsonArray(new JsonObject { [BearerScheme] = new JsonArray() });
            AddResponse(responses, "401", "No valid access token.");
            if (!string.Equals(policy, ProxiedRoute.DefaultPolicy, StringComparison.OrdinalIgnoreCase))
            {
                AddResponse(responses, "403", $"The token's user does not satisfy the '{policy}' policy.");
            }
        }

        if (operation["requestBody"] is not null)
        {
            AddResponse(responses, "400", "Malformed or invalid body.");
            AddResponse(responses, "413", "Body over the route's size limit.");
        }

        AddResponse(responses, "429", "Rate limit reached; Retry-After says when to try again.");
        AddResponse(responses, "503", "Overloaded, or no healthy replica of the service; Retry-After says when to try again.");
        foreach (var (status, response) in responses)
        {
            if (response is JsonObject described && int.TryParse(status, out var code) && code >= 400)
            {
                AsProblem(described);
            }
        }
    }

    private static void AddResponse(JsonObject responses, string status, string description)
    {
        if (!responses.ContainsKey(status))
        {
            responses[status] = new JsonObject { ["description"] = description };
        }
    }

    /// <summary>An error response without a body schema (a bare <c>NotFound</c>) gets the platform's problem+json one.</summary>
    private static void AsProblem(JsonObject response)
    {
        var content = response["content"] as JsonObject;
        if (content is null || content.Count == 0)
        {
            response["content"] = new JsonObject
            {
                [ProblemJson] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = SchemaRefPrefix + ProblemSchema } },
            };
        }
        else if (!content.ContainsKey(ProblemJson) && content.FirstOrDefault().Value is { } first)
        {
            content[ProblemJson] = first.DeepClone();
        }
    }

    /// <summary>
    /// A schema name already taken by an earlier service with a different meaning is renamed in this document
    /// (<c>Page</c> → <c>catalog.Page</c>), with every reference to it; identical ones are shared.
    /// </summary>
    private static void RenameConflictingSchemas(JsonObject document, string serviceName, JsonObject taken)
    {
        if (document["components"]?["schemas"] is not JsonObject own)
        {
            return;
        }

        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, schema) in own)
        {
            if (taken[name] is { } existing && !JsonNode.DeepEquals(existing, schema))
            {
                renames[SchemaRefPrefix + name] = SchemaRefPrefix + serviceName + "." + name;
            }
        }

        if (renames.Count == 0)
        {
            return;
        }

        foreach (var (from, _) in renames)
        {
            var name = from[SchemaRefPrefix.Length..];
            var schema = own[name];
            own.Remove(name);
            own[serviceName + "." + name] = schema;
        }

        RewriteReferences(document, renames);
    }

    private static void RewriteReferences(JsonNode? node, Dictionary<string, string> renames)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToArray())
                {
                    if (key == "$ref" && value?.GetValue<string>() is { } target && renames.TryGetValue(target, out var renamed))
                    {
                        obj[key] = renamed;
                    }
                    else
                    {
                        RewriteReferences(value, renames);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RewriteReferences(item, renames);
                }

                break;
        }
    }

    private static JsonObject ProblemDetailsSchema() => new()
    {
        ["type"] = "object",
        ["description"] = "RFC 9457 problem details, as every error of the platform is answered.",
        ["properties"] = new JsonObject
        {
            ["type"] = new JsonObject { ["type"] = new JsonArray("null", "string") },
            ["title"] = new JsonObject { ["type"] = "string" },
            ["status"] = new JsonObject { ["type"] = "integer", ["format"] = "int32" },
            ["detail"] = new JsonObject { ["type"] = new JsonArray("null", "string") },
            ["instance"] = new JsonObject { ["type"] = new JsonArray("null", "string") },
            ["traceId"] = new JsonObject { ["type"] = "string" },
        },
        ["required"] = new JsonArray("status", "title"),
    };
}
