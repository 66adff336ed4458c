using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshDashboard.Sandbox.Patching;
using MeshDashboard.Sandbox.Security;
using MeshDashboard.Sandbox.Storage;
using Microsoft.AspNetCore.Http;

namespace MeshDashboard.Sandbox.Api;

/// <summary>
/// Serves the Kubernetes REST API over the object store: discovery, and get, list, watch, create,
/// update, patch and delete for every kind in <see cref="ResourceTypes"/>, with the API server's
/// paths, query parameters, status codes and <c>Status</c> errors. Every request is authenticated first.
/// </summary>
internal sealed class KubernetesApi(ObjectStore store, TimeProvider time, SandboxOptions options, BearerAuthentication authentication, RequestLog requests,
    Traffic.TrafficLedger? traffic = null)
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public async Task HandleAsync(HttpContext context, CancellationToken stopping)
    {
        try
        {
            authentication.Authenticate(context.Request);
            // Logged only once authenticated: the identity headers of a refused request were never acted on.
            requests.Record(context.Request);
            await DispatchAsync(context, stopping);
        }
        catch (ApiException error)
        {
            if (!context.Response.HasStarted)
            {
                await WriteJsonAsync(context, error.ToStatus(), (int)error.Code);
            }
        }
        catch (JsonException error)
        {
            if (!context.Response.HasStarted)
            {
                await WriteJsonAsync(context, ApiException.BadRequest($"the request body is not valid JSON: {error.Message}").ToStatus(), 400);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Whatever else goes wrong is still answered as the API server answers an error it did not classify:
            // a 500 Status with the message and no reason, never an empty body.
            if (!context.Response.HasStarted)
            {
                await WriteJsonAsync(context, new ApiException(HttpStatusCode.InternalServerError, "", error.Message).ToStatus(), 500);
            }
        }
    }

    private async Task DispatchAsync(HttpContext context, CancellationToken stopping)
    {
        var path = context.Request.Path.Value?.TrimEnd('/') ?? "";
        var method = context.Request.Method;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);

        switch (segments)
        {
            case ["version"]:
                await WriteJsonAsync(context, Discovery.Version());
                return;
            case ["healthz"] or ["readyz"] or ["livez"]:
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("ok", stopping);
                return;
            case ["metrics"] when method == "GET" && traffic is not null:
                // Like kube-apiserver's /metrics, behind the token: the simulated mesh's Istio metrics, for a Prometheus scrape job.
                context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                await context.Response.WriteAsync(traffic.ToPrometheusText(), stopping);
                return;
            case ["api"]:
                await WriteJsonAsync(context, Discovery.CoreVersions($"{context.Request.Host}"));
                return;
            case ["apis"]:
                await WriteJsonAsync(context, Discovery.Groups(store.Types));
                return;
            case ["openapi", "v2"]:
                await WriteJsonAsync(context, OpenApi.V2(store.Types));
                return;
            case ["openapi", "v3"]:
                await WriteJsonAsync(context, OpenApi.Root(store.Types));
                return;
            case ["openapi", "v3", "api", var openApiCoreVersion]:
                await WriteJsonAsync(context, OpenApi.GroupVersion(store.Types, "", openApiCoreVersion) ?? throw NotFoundPath(path));
                return;
            case ["openapi", "v3", "apis", var openApiGroup, var openApiVersion]:
                await WriteJsonAsync(context, OpenApi.GroupVersion(store.Types, openApiGroup, openApiVersion) ?? throw NotFoundPath(path));
                return;
            case ["apis", "authorization.k8s.io", "v1", "selfsubjectaccessreviews"] when method == "POST":
                await ReviewAccessAsync(context);
                return;
            case ["apis", "authorization.k8s.io", "v1", "selfsubjectrulesreviews"] when method == "POST":
                await ReviewRulesAsync(context);
                return;
            case ["api", var coreVersion]:
                await WriteJsonAsync(context, Discovery.Resources(store.Types, "", coreVersion) ?? throw NotFoundPath(path));
                return;
            case ["apis", var group]:
                await WriteJsonAsync(context, Discovery.Group(store.Types, group) ?? throw NotFoundPath(path));
                return;
            case ["apis", var group, var version]:
                await WriteJsonAsync(context, Discovery.Resources(store.Types, group, version) ?? throw NotFoundPath(path));
                return;
            case ["api", var v, .. var rest]:
                await HandleResourceAsync(context, "", v, rest, method, stopping);
                return;
            case ["apis", var g, var v, .. var rest]:
                await HandleResourceAsync(context, g, v, rest, method, stopping);
                return;
            default:
                throw NotFoundPath(path);
        }
    }

    private async Task HandleResourceAsync(HttpContext context, string group, string version, string[] rest, string method, CancellationToken stopping)
    {
        // [namespaces/{ns}/]{plural}[/{name}[/{subresource}]]
        string? ns = null;
        if (rest is ["namespaces", var nsName, _, ..])
        {
            ns = nsName;
            rest = rest[2..];
        }
        if (rest.Length is 0 or > 3)
        {
            throw NotFoundPath(context.Request.Path);
        }

        var served = store.Types.Find(group, version, rest[0]) ?? throw NotFoundPath(context.Request.Path);
        // events.k8s.io Events are stored as core Events: the store sees the core kind, the client its own view.
        var type = served == ResourceTypes.EventsV1 ? ResourceTypes.Events : served;
        JsonObject Inbound(JsonObject body) => served == type ? body : EventConversion.ToCore(body);
        if (type.Namespaced == false && ns is not null)
        {
            throw NotFoundPath(context.Request.Path);
        }
        var name = rest.Length > 1 ? rest[1] : null;
        var subresource = rest.Length > 2 ? rest[2] : null;
        if (subresource is not null && (subresource != "status" || !StatusSubresource.Has(type)))
        {
            throw NotFoundPath(context.Request.Path);
        }
        if (type.Namespaced && name is not null && ns is null)
        {
            throw NotFoundPath(context.Request.Path);
        }

        if (method is "POST" or "PUT" or "PATCH" or "DELETE" && IsReadOnlyUser(context, out var user))
        {
            var target = rest.Length > 1 ? $"{type.QualifiedName} \"{rest[1]}\"" : type.QualifiedName;
            throw new ApiException(HttpStatusCode.Forbidden, "Forbidden",
                $"{target} is forbidden: User \"{user}\" cannot {Verb(method)} resource \"{type.Plural}\" in API group \"{type.Group}\"{(ns is null ? "" : $" in the namespace \"{ns}\"")}");
        }

        var query = context.Request.Query;
        var write = new WriteOptions
        {
            DryRun = query["dryRun"].Any(d => d == "All"),
            FieldValidation = query["fieldValidation"].ToString() switch
            {
                "Strict" => FieldValidation.Strict,
                "Ignore" => FieldValidation.Ignore,
                _ => FieldValidation.Warn,
            },
            FieldManager = FieldManagerOf(context),
            ApiVersion = served.ApiVersion(version),
            Force = IsTrue(query["force"]),
        };
        var scopeNamespace = type.Namespaced ? ns ?? "" : "";
        var statusOnly = subresource == "status";

        switch (method)
        {
            case "GET" when name is null && IsTrue(query["watch"]):
                await WatchAsync(context, type, served, version, ns, stopping);
                return;
            case "GET" when name is null:
                await ListAsync(context, type, served, version, ns);
                return;
            case "GET":
                await WriteObjectAsync(context, store.Get(type, scopeNamespace, name), served, version, 200);
                return;
            case "POST" when name is null:
                {
                    if (type.Namespaced && ns is null)
                    {
                        throw ApiException.MethodNotAllowed("create needs a namespace in the path");
                    }
                    var body = Inbound(await ReadObjectAsync(context));
                    var created = store.Create(type, scopeNamespace, body, write);
                    await WriteObjectAsync(context, created, served, version, 201, write);
                    return;
                }
            case "PUT" when name is not null:
                {
                    var body = Inbound(await ReadObjectAsync(context));
                    var updated = store.Update(type, scopeNamespace, name, body, write, statusOnly);
                    await WriteObjectAsync(context, updated, served, version, 200, write);
                    return;
                }
            case "PATCH" when name is not null:
                {
                    var patch = await ReadNodeAsync(context);
                    var contentType = context.Request.ContentType?.Split(';')[0].Trim() ?? "";
                    if (contentType == "application/apply-patch+yaml")
                    {
                        await ApplyAsync(context, type, served, version, scopeNamespace, name, patch, write, statusOnly);
                        return;
                    }
                    if (query["force"].Count > 0)
                    {
                        throw ApiException.Invalid(ResourceTypes.PatchOptions, "", [new FieldCause("force", "Forbidden: may not be specified for non-apply patch", "FieldValueForbidden")]);
                    }
                    Func<JsonObject, JsonObject> apply = contentType switch
                    {
                        "application/json-patch+json" => current => JsonPatch.Apply(current, patch),
                        "application/merge-patch+json" => current => (JsonObject)MergePatch.Apply(current, MergePatch.CheckIsObject(patch))!,
                        // Built-in kinds accept strategic merge patch; for the few list fields the sandbox's
                        // clients patch, a merge patch gives the same result. Custom resources refuse it, as on a real server.
                        "application/strategic-merge-patch+json" when !type.IsCustomResource => current => (JsonObject)MergePatch.Apply(current, MergePatch.CheckIsObject(patch))!,
                        _ => throw ApiException.UnsupportedMediaType(contentType),
                    };
                    var patched = store.Patch(type, scopeNamespace, name, current => Inbound(apply(Outbound(current, served))), write, statusOnly);
                    await WriteObjectAsync(context, patched, served, version, 200, write);
                    return;
                }
            case "DELETE" when name is not null && subresource is null:
                {
                    var options = context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0
                        ? await ReadNodeAsync(context) as JsonObject
                        : null;
                    var preconditions = options?["preconditions"];
                    var deleteOptions = new WriteOptions { DryRun = write.DryRun || (options?["dryRun"] as JsonArray)?.Any(d => (string?)d == "All") == true };
                    var deleted = store.Delete(type, scopeNamespace, name, (string?)preconditions?["resourceVersion"], (string?)preconditions?["uid"], deleteOptions);
                    await WriteObjectAsync(context, deleted, served, version, 200);
                    return;
                }
            default:
                throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource: {method} {context.Request.Path}");
        }
    }

    /// <summary>Server-side apply: 201 when the applied configuration created the object, 200 otherwise.</summary>
    private async Task ApplyAsync(HttpContext context, ResourceType type, ResourceType served, string version, string ns, string name, JsonNode? patch, WriteOptions write, bool statusOnly)
    {
        if (context.Request.Query["fieldManager"].ToString().Length == 0)
        {
            throw ApiException.Invalid(ResourceTypes.PatchOptions, "", [new FieldCause("fieldManager", "Required value: is required for apply patch", "FieldValueRequired")]);
        }
        var applied = patch as JsonObject ?? throw ApiException.BadRequest("error decoding YAML: the applied configuration must be an object");
        var (stored, created) = store.Apply(type, ns, name, served == type ? applied : EventConversion.ToCore(applied), write, statusOnly);
        await WriteObjectAsync(context, stored, served, version, created ? 201 : 200, write);
    }

    /// <summary>The manager a write is recorded under: <c>fieldManager</c>, else the User-Agent's product, as the API server derives it.</summary>
    private static string? FieldManagerOf(HttpContext context)
    {
        var sent = context.Request.Query["fieldManager"].ToString();
        if (sent.Length > 0)
        {
            return sent;
        }
        var agent = context.Request.Headers.UserAgent.ToString();
        return agent.Length > 0 ? agent.Split('/')[0] : null;
    }

    private async Task ListAsync(HttpContext context, ResourceType type, ResourceType served, string version, string? ns)
    {
        var query = context.Request.Query;
        var page = ListPaging.Page(store, type, ns, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]), query["limit"], query["continue"]);
        var revision = page.Revision;
        if (Tables.Wanted(context.Request.Headers.Accept))
        {
            var table = Tables.Render(type, version, page.Items, revision, time.GetUtcNow());
            ListPaging.Describe((JsonObject)table["metadata"]!, page);
            await WriteJsonAsync(context, table);
            return;
        }

        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        ListPaging.Describe(metadata, page);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        // Written as it goes: a page of 500 pods is megabytes, and each item is copied from its stored JSON rather than
        // parsed into a tree and written out again.
        var output = context.Response.BodyWriter;
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("kind", served.ListKind);
        writer.WriteString("apiVersion", served.ApiVersion(version));
        writer.WritePropertyName("metadata");
        metadata.WriteTo(writer);
        writer.WriteStartArray("items");
        foreach (var item in page.Items)
        {
            WriteListItem(writer, item, type, served, version);
            if (writer.BytesPending > FlushThreshold)
            {
                await writer.FlushAsync(context.RequestAborted);
                await output.FlushAsync(context.RequestAborted);
            }
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    // How much a list response buffers before it is sent on.
    private const int FlushThreshold = 64 * 1024;

    /// <summary>
    /// A list item as <see cref="Render"/> makes it: custom resources keep their type (at the version served), built-in
    /// kinds' items leave it to the list, as kube-apiserver's lists do.
    /// </summary>
    private static void WriteListItem(Utf8JsonWriter writer, StoredObject item, ResourceType type, ResourceType served, string version) =>
        WriteServed(writer, item, served, version, keepTypeMeta: type.IsCustomResource);

    /// <summary>
    /// Writes a stored object as <see cref="Render"/> presents it, copied from its stored bytes rather than parsed into a
    /// tree and written out again: only apiVersion and kind are the served version's (in their place) or left out.
    /// </summary>
    private static void WriteServed(Utf8JsonWriter writer, StoredObject item, ResourceType served, string version, bool keepTypeMeta)
    {
        if (served == ResourceTypes.EventsV1)
        {
            Render(item, served, version, keepTypeMeta).WriteTo(writer);
            return;
        }
        using var stored = JsonDocument.Parse(item.Utf8Json);
        writer.WriteStartObject();
        foreach (var property in stored.RootElement.EnumerateObject())
        {
            if (property.NameEquals("apiVersion"))
            {
                if (keepTypeMeta)
                {
                    writer.WriteString("apiVersion", served.ApiVersion(version));
                }
            }
            else if (property.NameEquals("kind"))
            {
                if (keepTypeMeta)
                {
                    writer.WriteString("kind", served.Kind);
                }
            }
            else
            {
                property.WriteTo(writer);
            }
        }
        writer.WriteEndObject();
    }

    private async Task WatchAsync(HttpContext context, ResourceType type, ResourceType served, string version, string? ns, CancellationToken stopping)
    {
        var query = context.Request.Query;
        var sendInitialEvents = IsTrue(query["sendInitialEvents"]);
        var rvText = query["resourceVersion"].ToString();
        long? from = null;
        if (!sendInitialEvents && rvText.Length > 0 && rvText != "0")
        {
            from = long.TryParse(rvText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw ApiException.BadRequest($"resourceVersion: Invalid value: \"{rvText}\": must be an integer");
        }
        var bookmarks = IsTrue(query["allowWatchBookmarks"]);
        var timeout = int.TryParse(query["timeoutSeconds"], out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan;
        var asTable = Tables.Wanted(context.Request.Headers.Accept);

        using var subscription = store.Watch(type, ns, from, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]));
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            lifetime.CancelAfter(timeout);
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(lifetime.Token);
        var lastRevision = Math.Max(from ?? 0, subscription.StartRevision);
        var first = true;
        var initialEventsEnd = subscription.InitialEventsEnd;

        try
        {
            while (!lifetime.IsCancellationRequested)
            {
                // Initial events are queued already; a bookmark marks their end when the client asked for one.
                if (initialEventsEnd is { } end && sendInitialEvents && !subscription.Events.TryPeek(out _))
                {
                    await WriteLineAsync(context, Bookmark(served, version, end, initialEventsEnd: true), lifetime.Token);
                    initialEventsEnd = null;
                    continue;
                }

                var wait = subscription.Events.WaitToReadAsync(lifetime.Token).AsTask();
                if (bookmarks)
                {
                    var tick = Task.Delay(options.BookmarkInterval, time, lifetime.Token);
                    if (await Task.WhenAny(wait, tick) == tick)
                    {
                        await WriteLineAsync(context, Bookmark(served, version, Math.Max(lastRevision, store.Revision), initialEventsEnd: false), lifetime.Token);
                        continue;
                    }
                }
                if (!await wait)
                {
                    break;
                }
                while (subscription.Events.TryRead(out var change))
                {
                    lastRevision = change.ResourceVersion;
                    var line = new ArrayBufferWriter<byte>();
                    using (var writer = new Utf8JsonWriter(line))
                    {
                        writer.WriteStartObject();
                        writer.WriteString("type", change.TypeName);
                        writer.WritePropertyName("object");
                        if (asTable)
                        {
                            Tables.Render(type, version, [change.Object], change.ResourceVersion, time.GetUtcNow(), includeColumns: first).WriteTo(writer);
                        }
                        else
                        {
                            WriteServed(writer, change.Object, served, version, keepTypeMeta: true);
                        }
                        writer.WriteEndObject();
                    }
                    first = false;
                    line.Write("\n"u8);
                    await context.Response.Body.WriteAsync(line.WrittenMemory, lifetime.Token);
                    await context.Response.Body.FlushAsync(lifetime.Token);
                }
                if (initialEventsEnd is not null && !sendInitialEvents)
                {
                    initialEventsEnd = null;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away, the timeout passed or the sandbox is stopping: the watch just ends.
        }
    }

    private bool IsReadOnlyUser(HttpContext context, out string user)
    {
        user = context.Request.Headers["Impersonate-User"].ToString();
        return user.Length > 0 && options.ReadOnlyUsers.Contains(user, StringComparer.Ordinal);
    }

    private static string Verb(string method) => method switch
    {
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        _ => "delete",
    };

    /// <summary>SelfSubjectAccessReview: may the caller (or the user it impersonates) do this? Reads always; writes unless read-only.</summary>
    private async Task ReviewAccessAsync(HttpContext context)
    {
        var review = await ReadObjectAsync(context);
        var verb = (string?)review["spec"]?["resourceAttributes"]?["verb"] ?? "";
        var allowed = verb is "get" or "list" or "watch" || !IsReadOnlyUser(context, out _);
        review["apiVersion"] = "authorization.k8s.io/v1";
        review["kind"] = "SelfSubjectAccessReview";
        review["status"] = allowed
            ? new JsonObject { ["allowed"] = true }
            : new JsonObject { ["allowed"] = false, ["reason"] = $"the sandbox treats {context.Request.Headers["Impersonate-User"]} as read-only" };
        await WriteJsonAsync(context, review, 201);
    }

    /// <summary>
    /// SelfSubjectRulesReview (what <c>kubectl auth can-i --list</c> sends): the rules the caller (or the user it
    /// impersonates) has in a namespace, as RBAC enumerates them. The sandbox's stand-in for RBAC has two sets: the
    /// token may do everything; a read-only user may get, list and watch. Shaped as kube-apiserver's answer
    /// (pkg/registry/authorization/selfsubjectrulesreview/rest.go: 400 without a namespace; status with resourceRules,
    /// nonResourceRules and incomplete, which is false because these rules are all there is).
    /// </summary>
    private async Task ReviewRulesAsync(HttpContext context)
    {
        var review = await ReadObjectAsync(context);
        var ns = (string?)review["spec"]?["namespace"] ?? "";
        if (ns.Length == 0)
        {
            throw ApiException.BadRequest("no namespace on request");
        }
        var readOnly = IsReadOnlyUser(context, out _);
        JsonArray Strings(params string[] values) => [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
        var answer = new JsonObject
        {
            ["kind"] = "SelfSubjectRulesReview",
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["metadata"] = new JsonObject(),
            // kube-apiserver answers a new review holding only the status: the spec asked about is not echoed.
            ["spec"] = new JsonObject(),
            ["status"] = new JsonObject
            {
                ["resourceRules"] = new JsonArray(new JsonObject
                {
                    ["verbs"] = readOnly ? Strings("get", "list", "watch") : Strings("*"),
                    ["apiGroups"] = Strings("*"),
                    ["resources"] = Strings("*"),
                }),
                ["nonResourceRules"] = new JsonArray(new JsonObject
                {
                    ["verbs"] = readOnly ? Strings("get") : Strings("*"),
                    ["nonResourceURLs"] = Strings("*"),
                }),
                ["incomplete"] = false,
            },
        };
        await WriteJsonAsync(context, answer, 201);
    }

    private static JsonObject Bookmark(ResourceType type, string version, long revision, bool initialEventsEnd)
    {
        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }
        return new JsonObject
        {
            ["type"] = "BOOKMARK",
            ["object"] = new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.ApiVersion(version), ["metadata"] = metadata },
        };
    }

    private static async Task WriteLineAsync(HttpContext context, JsonObject line, CancellationToken cancellation)
    {
        var bytes = Encoding.UTF8.GetBytes(line.ToJsonString(Compact) + "\n");
        await context.Response.Body.WriteAsync(bytes, cancellation);
        await context.Response.Body.FlushAsync(cancellation);
    }

    /// <summary>Presents a stored object in the version the client asked for (one stored object, several versions).</summary>
    private static JsonObject Render(StoredObject stored, ResourceType served, string version, bool keepTypeMeta)
    {
        var node = Outbound(stored.Parse(), served);
        if (keepTypeMeta)
        {
            node["apiVersion"] = served.ApiVersion(version);
            node["kind"] = served.Kind;
        }
        else
        {
            node.Remove("apiVersion");
            node.Remove("kind");
        }
        return node;
    }

    /// <summary>The stored object as the served kind shows it (only events.k8s.io Events differ from their storage).</summary>
    private static JsonObject Outbound(JsonObject stored, ResourceType served) =>
        served == ResourceTypes.EventsV1 ? EventConversion.ToEventsV1(stored) : stored;

    private static async Task WriteObjectAsync(HttpContext context, StoredObject stored, ResourceType served, string version, int status, WriteOptions? write = null)
    {
        if (write is { Warnings.Count: > 0 })
        {
            foreach (var warning in write.Warnings)
            {
                context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
            }
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            WriteServed(writer, stored, served, version, keepTypeMeta: true);
        }
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private static async Task WriteJsonAsync(HttpContext context, JsonNode body, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(Compact));
    }

    private static async Task<JsonNode?> ReadNodeAsync(HttpContext context)
    {
        if (Protobuf.KubernetesProtobuf.IsProtobuf(context.Request.ContentType))
        {
            return Protobuf.KubernetesProtobuf.Decode(await RequestBody.ReadBytesAsync(context.Request, context.RequestAborted));
        }
        var text = await RequestBody.ReadTextAsync(context.Request, context.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ApiException.BadRequest("the request body is empty");
        }
        var contentType = context.Request.ContentType ?? "";
        if (contentType.Contains("yaml", StringComparison.OrdinalIgnoreCase))
        {
            return YamlJson.ParseDocuments(text).FirstOrDefault();
        }
        return JsonNode.Parse(text);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context) =>
        await ReadNodeAsync(context) as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object");

    private static bool IsTrue(Microsoft.Extensions.Primitives.StringValues value) => QueryBoolean.Parse(value);

    private static ApiException NotFoundPath(string? path) =>
        new(HttpStatusCode.NotFound, "NotFound", $"the server could not find the requested resource ({path})");
}
