using System.Text.Json.Nodes;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Api;

/// <summary>
/// The automation API: the same change pipeline the UI uses, for release pipelines. Every write takes
/// <c>?dryRun=true</c> (answers the preview, writes nothing) and <c>If-Match</c> (412 when the configuration
/// changed since that ETag). Errors are <c>application/problem+json</c>; 400 names the field.
/// </summary>
public static class ServiceApi
{
    public static IEndpointRouteBuilder MapServiceApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/services").WithTags("Services");

        endpoints.MapGet("/api/changes", async (IMeshDashboardClient client, CancellationToken cancellationToken) =>
                Results.Ok((await client.GetRecentChangesAsync(cancellationToken)).Select(RecentChangeDto.From)))
            .WithTags("Services").WithName("ListRecentChanges").WithSummary("The latest changes of every service, newest first.")
            .Produces<IReadOnlyList<RecentChangeDto>>();

        api.MapGet("", (IMeshDashboardClient client) =>
                Results.Ok(client.Current.Services.OrderBy(s => s.Namespace, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal).Select(ServiceSummaryDto.From)))
            .WithName("ListServices").WithSummary("Every service with its subsets, routing in words and findings.")
            .Produces<IReadOnlyList<ServiceSummaryDto>>();

        api.MapGet("/{namespace}/{name}", (string @namespace, string name, IMeshDashboardClient client, HttpContext context) =>
            {
                if (client.Current.FindService(@namespace, name) is not { } service)
                {
                    return NotFound(@namespace, name);
                }
                var version = client.VersionOf(service);
                context.Response.Headers.ETag = version;
                return Results.Ok(ServiceDetailDto.From(service, version));
            })
            .WithName("GetService").WithSummary("One service in detail; the ETag identifies its traffic configuration.")
            .Produces<ServiceDetailDto>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{namespace}/{name}/history", async (string @namespace, string name, IMeshDashboardClient client, CancellationToken cancellationToken) =>
            {
                if (client.Current.FindService(@namespace, name) is null)
                {
                    return NotFound(@namespace, name);
                }
                var history = await client.GetHistoryAsync(new ObjectRef(ResourceKind.Service, @namespace, name), cancellationToken);
                return Results.Ok(history.Select(h => new HistoryEntryDto(h.Revision, h.Time, h.Author, h.Summary, h.Reason, h.IsBaseline)));
            })
            .WithName("GetHistory").WithSummary("The service's change history, newest first.")
            .Produces<IReadOnlyList<HistoryEntryDto>>().ProducesProblem(StatusCodes.Status404NotFound);

        MapWrite<WeightsRequest>(api, "PUT", "/weights", "SetWeights", "Sets the weights of the default route, e.g. {\"weights\": {\"v1\": 25, \"v2\": 75}}.",
            (reader, body, service) => new SetWeights(service, reader.Weights(body, "weights", "weights")));

        MapWrite<RoutesRequest>(api, "PUT", "/routes", "SetRoutes", "Replaces the header-match (dark launch) rules and the fallback route.",
            (reader, body, service) => new SetRoutingRules(service, reader.Rules(body), reader.Weights(body, "fallback", "fallback")));

        MapWrite<FaultRequest>(api, "PUT", "/fault", "SetFault", "Sets (or, with neither abort nor delay, removes) fault injection on a rule.",
            (reader, body, service) =>
            {
                var rule = reader.String(body, "rule", "rule", required: true) ?? "";
                var abort = reader.Object(body, "abort", "abort");
                var delay = reader.Object(body, "delay", "delay");
                var settings = abort is null && delay is null
                    ? null
                    : new FaultSettings(
                        abort is null ? null : reader.Number(abort, "percent", "abort.percent") ?? MissingNumber(reader, "abort.percent"),
                        abort is null ? null : reader.Integer(abort, "httpStatus", "abort.httpStatus"),
                        abort is null ? null : reader.String(abort, "grpcStatus", "abort.grpcStatus"),
                        delay is null ? null : reader.Number(delay, "percent", "delay.percent") ?? MissingNumber(reader, "delay.percent"),
                        delay is null ? null : reader.String(delay, "fixedDelay", "delay.fixedDelay", required: true));
                return new SetFault(service, rule, settings);
            },
            requestFields: new Dictionary<string, string>
            {
                ["fault.abortHttpStatus"] = "abort.httpStatus",
                ["fault.abortGrpcStatus"] = "abort.grpcStatus",
                ["fault.abortPercent"] = "abort.percent",
                ["fault.delayPercent"] = "delay.percent",
                ["fault.fixedDelay"] = "delay.fixedDelay",
            });

        MapWrite<TrafficPolicyRequest>(api, "PUT", "/traffic-policy", "SetTrafficPolicy", "Sets outlier detection, connection pool, load balancer and TLS mode, service-wide or for one subset.",
            (reader, body, service) =>
            {
                // A partial update with JSON merge-patch meaning: a field left out is kept, null removes it.
                var settings = new TrafficPolicySettings(
                    reader.PatchObject(body, "outlierDetection", "outlierDetection", outlier => new OutlierDetectionSettings(
                        reader.PatchInteger(outlier, "consecutive5xxErrors", "outlierDetection.consecutive5xxErrors"),
                        reader.PatchInteger(outlier, "consecutiveGatewayErrors", "outlierDetection.consecutiveGatewayErrors"),
                        reader.PatchString(outlier, "interval", "outlierDetection.interval"),
                        reader.PatchString(outlier, "baseEjectionTime", "outlierDetection.baseEjectionTime"),
                        reader.PatchInteger(outlier, "maxEjectionPercent", "outlierDetection.maxEjectionPercent"),
                        reader.PatchInteger(outlier, "minHealthPercent", "outlierDetection.minHealthPercent"))),
                    reader.PatchObject(body, "connectionPool", "connectionPool", pool => new ConnectionPoolSettings(
                        reader.PatchInteger(pool, "maxConnections", "connectionPool.maxConnections"),
                        reader.PatchString(pool, "connectTimeout", "connectionPool.connectTimeout"),
                        reader.PatchInteger(pool, "http1MaxPendingRequests", "connectionPool.http1MaxPendingRequests"),
                        reader.PatchInteger(pool, "http2MaxRequests", "connectionPool.http2MaxRequests"),
                        reader.PatchInteger(pool, "maxRequestsPerConnection", "connectionPool.maxRequestsPerConnection"),
                        reader.PatchInteger(pool, "maxRetries", "connectionPool.maxRetries"))),
                    reader.PatchString(body, "loadBalancer", "loadBalancer"),
                    reader.PatchString(body, "tlsMode", "tlsMode"));
                return new SetTrafficPolicy(service, reader.String(body, "subset", "subset"), settings);
            });

        MapWrite<SwitchRequest>(api, "POST", "/switch", "SwitchBlueGreen", "Blue/green: the public host moves wholly to the subset; the preview host takes the previously live one.",
            (reader, body, service) => new SwitchBlueGreen(service, reader.String(body, "subset", "subset", required: true) ?? ""),
            requestFields: new Dictionary<string, string> { ["targetSubset"] = "subset" });

        MapWrite<RoutingSetupRequest>(api, "POST", "/routing", "CreateRouting",
            "For a service without DestinationRule and VirtualService: subsets from a pod label ({\"labelKey\": \"version\"}, the default) and a route that spreads traffic as Kubernetes does now.",
            (reader, body, service) => new CreateRouting(service, reader.String(body, "labelKey", "labelKey") ?? "version"));

        MapWrite<RollbackRequest>(api, "POST", "/rollback", "Rollback", "Undoes the latest change ({}), or restores the state of a history entry ({\"revision\": \"r000002\"}).",
            (reader, body, service) => null, rollback: true);

        return endpoints;
    }

    private static double? MissingNumber(RequestReader reader, string field)
    {
        reader.Fail(field, "is required");
        return null;
    }

    private delegate ITrafficOperation? BuildOperation(RequestReader reader, JsonObject body, ObjectRef service);

    private static void MapWrite<TRequest>(RouteGroupBuilder api, string method, string path, string name, string summary, BuildOperation build,
        bool rollback = false, IReadOnlyDictionary<string, string>? requestFields = null)
        where TRequest : notnull
    {
        api.MapMethods("/{namespace}/{name}" + path, [method],
                (string @namespace, string name, HttpContext context, IMeshDashboardClient client, CancellationToken cancellationToken) =>
                    WriteAsync(@namespace, name, context, client, build, rollback, requestFields ?? NoRenames, cancellationToken))
            .WithName(name).WithSummary(summary)
            .RequireAuthorization(Authentication.Roles.CanChangePolicy)
            .Accepts<TRequest>("application/json")
            .Produces<AppliedDto>().Produces<PreviewDto>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    private static readonly Dictionary<string, string> NoRenames = [];

    private static async Task<IResult> WriteAsync(string ns, string name, HttpContext context, IMeshDashboardClient client, BuildOperation build, bool rollback,
        IReadOnlyDictionary<string, string> requestFields, CancellationToken cancellationToken)
    {
        // Errors found by the operation name its parameters; the API names the request's fields.
        IResult Invalid(IEnumerable<FieldError> errors) =>
            ServiceApi.Invalid(errors.Select(e => requestFields.TryGetValue(e.Field, out var field) ? e with { Field = field } : e));

        if (client.Current.FindService(ns, name) is not { } service)
        {
            return NotFound(ns, name);
        }
        var (body, parseError) = await RequestReader.ParseAsync(context.Request, cancellationToken);
        if (body is null)
        {
            return Invalid([parseError!]);
        }

        var reader = new RequestReader();
        var reason = reader.String(body, "reason", "reason");
        if (reason?.Length > ChangeRequest.MaxReasonLength)
        {
            reader.Fail("reason", $"is {reason.Length} characters long; at most {ChangeRequest.MaxReasonLength} are kept in the history");
        }
        var serviceRef = new ObjectRef(ResourceKind.Service, ns, name);
        ITrafficOperation? operation;
        try
        {
            operation = rollback
                ? await client.RollbackOperationAsync(serviceRef, reader.String(body, "revision", "revision"), cancellationToken)
                : build(reader, body, serviceRef);
        }
        catch (OperationException error)
        {
            return Invalid(error.Errors);
        }
        if (reader.Errors.Count > 0 || operation is null)
        {
            return Invalid(reader.Errors);
        }

        // "If-Match: *" matches any current state (RFC 9110 13.1.1): the service exists, so it always holds.
        var expected = context.Request.Headers.IfMatch.ToString() is { Length: > 0 } ifMatch && ifMatch.Trim() != "*" ? ifMatch.Trim() : null;
        if (expected is not null && expected != client.VersionOf(service))
        {
            return PreconditionFailed(service, expected, client);
        }

        if (IsDryRun(context))
        {
            try
            {
                var preview = await client.PreviewAsync(operation, new ChangeRequest(Author: "", reason, expected), cancellationToken);
                return preview.Refusal is { } refusal
                    ? Results.Problem(refusal, title: "Forbidden", statusCode: StatusCodes.Status403Forbidden,
                        extensions: new Dictionary<string, object?> { ["preview"] = PreviewDto.From(preview) })
                    : Results.Ok(PreviewDto.From(preview));
            }
            catch (OperationException error)
            {
                return Invalid(error.Errors);
            }
        }

        // The author is the authenticated caller (person or token); the role check records it.
        var outcome = await client.ApplyAsync(operation, new ChangeRequest(Author: "", reason, expected), cancellationToken);
        var current = client.Current.FindService(ns, name);
        var version = current is null ? "" : client.VersionOf(current);
        return outcome.Status switch
        {
            ChangeStatus.Applied or ChangeStatus.NoChange => WithETag(context, version,
                Results.Ok(new AppliedDto(outcome.Status == ChangeStatus.Applied ? "applied" : "unchanged", outcome.Message, outcome.Revision, version))),
            ChangeStatus.Invalid when outcome.Errors.Count > 0 => Invalid(outcome.Errors),
            ChangeStatus.Invalid => Results.Problem(outcome.Message, title: "The cluster refused the change", statusCode: StatusCodes.Status400BadRequest),
            ChangeStatus.Conflict when outcome.VersionMismatch => PreconditionFailed(service, expected ?? "", client),
            // The request was conditional (If-Match) and lost the race to another writer: the precondition failed.
            ChangeStatus.Conflict when expected is not null => Results.Problem(outcome.Message, title: "Changed since If-Match", statusCode: StatusCodes.Status412PreconditionFailed,
                extensions: new Dictionary<string, object?> { ["concurrentChanges"] = outcome.ConcurrentChanges.Select(c => c.UnifiedDiff).ToList() }),
            ChangeStatus.Conflict => Results.Problem(outcome.Message, title: "Changed meanwhile", statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["concurrentChanges"] = outcome.ConcurrentChanges.Select(c => c.UnifiedDiff).ToList() }),
            ChangeStatus.ReadOnly => Results.Problem(outcome.Message, title: "Managed by another controller", statusCode: StatusCodes.Status409Conflict),
            ChangeStatus.Forbidden => Results.Problem(outcome.Message, title: "Forbidden", statusCode: StatusCodes.Status403Forbidden),
            ChangeStatus.Unreachable => Results.Problem(outcome.Message, title: "Cluster unreachable", statusCode: StatusCodes.Status503ServiceUnavailable),
            _ => Results.Problem(outcome.Message, title: "The change failed", statusCode: StatusCodes.Status502BadGateway),
        };
    }

    private static bool IsDryRun(HttpContext context) =>
        context.Request.Query["dryRun"].Any(v => string.Equals(v, "true", StringComparison.OrdinalIgnoreCase) || v == "All");

    private static IResult WithETag(HttpContext context, string version, IResult result)
    {
        context.Response.Headers.ETag = version;
        return result;
    }

    private static IResult NotFound(string ns, string name) =>
        Results.Problem($"There is no service {ns}/{name}.", title: "Unknown service", statusCode: StatusCodes.Status404NotFound);

    private static IResult Invalid(IEnumerable<FieldError> errors) =>
        Results.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            detail: string.Join("; ", errors.Select(e => e.ToString())),
            title: "The request is invalid");

    private static IResult PreconditionFailed(MeshService service, string expected, IMeshDashboardClient client) =>
        Results.Problem(
            $"The traffic configuration of {service.Namespace}/{service.Name} changed since ETag {expected}; it is now {client.VersionOf(service)}. Read it again and retry.",
            title: "Changed since If-Match", statusCode: StatusCodes.Status412PreconditionFailed);
}
