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
                await FromClusterAsync(async () => Results.Ok((await client.GetRecentChangesAsync(cancellationToken)).Select(RecentChangeDto.From))))
            .WithTags("Services").WithName("ListRecentChanges").WithSummary("The latest changes of every service, newest first.")
            .Produces<IReadOnlyList<RecentChangeDto>>();

        api.MapGet("", (IMeshDashboardClient client, HttpContext context) =>
            {
                var state = client.Current;
                MarkIfStale(context, state);
                return Results.Ok(state.Services.OrderBy(s => s.Namespace, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal)
                    .Select(s => ServiceSummaryDto.From(s) with { AsOf = state.Health.CurrentAsOf, Stale = !state.Health.IsReachable }));
            })
            .WithName("ListServices").WithSummary("Every service with its subsets, routing in words and findings.")
            .Produces<IReadOnlyList<ServiceSummaryDto>>();

        api.MapGet("/{namespace}/{name}", (string @namespace, string name, IMeshDashboardClient client, HttpContext context) =>
            {
                var state = client.Current;
                if (state.FindService(@namespace, name) is not { } service)
                {
                    return NotFound(@namespace, name);
                }
                var version = client.VersionOf(service);
                context.Response.Headers.ETag = version;
                MarkIfStale(context, state);
                return Results.Ok(ServiceDetailDto.From(service, version) with { AsOf = state.Health.CurrentAsOf, Stale = !state.Health.IsReachable });
            })
            .WithName("GetService").WithSummary("One service in detail; the ETag identifies its traffic configuration.")
            .Produces<ServiceDetailDto>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{namespace}/{name}/history", async (string @namespace, string name, IMeshDashboardClient client, CancellationToken cancellationToken) =>
            {
                if (client.Current.FindService(@namespace, name) is null)
                {
                    return NotFound(@namespace, name);
                }
                return await FromClusterAsync(async () =>
                {
                    var history = await client.GetHistoryAsync(new ObjectRef(ResourceKind.Service, @namespace, name), cancellationToken);
                    return Results.Ok(history.Select(h => new HistoryEntryDto(h.Revision, h.Time, h.Author, h.Summary, h.Reason, h.IsBaseline)));
                });
            })
            .WithName("GetHistory").WithSummary("The service's change history, newest first.")
            .Produces<IReadOnlyList<HistoryEntryDto>>().ProducesProblem(StatusCodes.Status404NotFound);

        MapWrite<WeightsRequest>(api, "PUT", "/weights", "SetWeights", "Sets the weights of the default route, e.g. {\"weights\": {\"v1\": 25, \"v2\": 75}}.",
            (request, body, service, reader) => new SetWeights(service, request.Weights));

        MapWrite<RoutesRequest>(api, "PUT", "/routes", "SetRoutes", "Replaces the header-match (dark launch) rules and the fallback route.",
            (request, body, service, reader) => new SetRoutingRules(service, reader.Rules(request.Rules), request.Fallback));

        MapWrite<FaultRequest>(api, "PUT", "/fault", "SetFault", "Sets (or, with neither abort nor delay, removes) fault injection on a rule.",
            (request, body, service, reader) => new SetFault(service, request.Rule, request.Abort is null && request.Delay is null
                ? null
                : new FaultSettings(request.Abort?.Percent, request.Abort?.HttpStatus, request.Abort?.GrpcStatus, request.Delay?.Percent, request.Delay?.FixedDelay)),
            requestFields: new Dictionary<string, string>
            {
                ["fault.abortHttpStatus"] = "abort.httpStatus",
                ["fault.abortGrpcStatus"] = "abort.grpcStatus",
                ["fault.abortPercent"] = "abort.percent",
                ["fault.delayPercent"] = "delay.percent",
                ["fault.fixedDelay"] = "delay.fixedDelay",
            });

        MapWrite<TimeoutRequest>(api, "PUT", "/timeout", "SetTimeoutAndRetries",
            "Sets the timeout and retries of a rule, a partial update: left out is kept, null removes, e.g. {\"rule\": \"default\", \"timeout\": \"5s\", \"retries\": {\"attempts\": 3, \"perTryTimeout\": \"2s\", \"retryOn\": \"5xx,reset\"}}.",
            (request, body, service, reader) => new SetTimeoutAndRetries(service, request.Rule,
                RequestReader.Patch(body, "timeout", request.Timeout),
                RequestReader.Patch(body, "retries", request.Retries, (retries, tree) => new RetrySettings(
                    RequestReader.Patch(tree, "attempts", retries.Attempts),
                    RequestReader.Patch(tree, "perTryTimeout", retries.PerTryTimeout),
                    RequestReader.Patch(tree, "retryOn", retries.RetryOn))))
            {
                Origin = Origin(request.Origin),
            });

        MapWrite<MirrorRequest>(api, "PUT", "/mirror", "SetMirror",
            "Mirrors a share of a rule's requests to a subset of the same service, e.g. {\"rule\": \"default\", \"subset\": \"v2\", \"percent\": 10}; {\"rule\": \"default\", \"subset\": null} stops mirroring.",
            (request, body, service, reader) =>
            {
                if (request.Subset is not null && request.Percent is null)
                {
                    reader.Fail("percent", "is required with a subset: the share of requests to copy, 0 to 100");
                }
                else if (request.Subset is null && request.Percent is not null)
                {
                    reader.Fail("percent", "is not used when removing mirroring (\"subset\": null); leave it out");
                }
                var settings = request.Subset is { } subset && request.Percent is { } percent ? new MirrorSettings(subset, percent) : null;
                return new SetMirror(service, request.Rule, settings) { Origin = Origin(request.Origin) };
            });

        MapWrite<TcpWeightsRequest>(api, "PUT", "/tcp-weights", "SetTcpWeights",
            "Sets the weights of a TCP route by its index in spec.tcp, e.g. {\"route\": 0, \"weights\": {\"v1\": 80, \"v2\": 20}}.",
            (request, body, service, reader) => new SetTcpWeights(service, request.Route, request.Weights) { Fingerprint = request.Fingerprint });

        MapWrite<TrafficPolicyRequest>(api, "PUT", "/traffic-policy", "SetTrafficPolicy", "Sets outlier detection, connection pool, load balancer and TLS mode, service-wide or for one subset.",
            (request, body, service, reader) =>
            {
                // A partial update with JSON merge-patch meaning: a field left out is kept, null removes it. The bound
                // record has the values (kinds checked); whether a field was there at all comes from the body's tree,
                // which is simpler than an Optional<T> converter threaded through every nullable field of three records.
                var settings = new TrafficPolicySettings(
                    RequestReader.Patch(body, "outlierDetection", request.OutlierDetection, (outlier, tree) => new OutlierDetectionSettings(
                        RequestReader.Patch(tree, "consecutive5xxErrors", outlier.Consecutive5xxErrors),
                        RequestReader.Patch(tree, "consecutiveGatewayErrors", outlier.ConsecutiveGatewayErrors),
                        RequestReader.Patch(tree, "interval", outlier.Interval),
                        RequestReader.Patch(tree, "baseEjectionTime", outlier.BaseEjectionTime),
                        RequestReader.Patch(tree, "maxEjectionPercent", outlier.MaxEjectionPercent),
                        RequestReader.Patch(tree, "minHealthPercent", outlier.MinHealthPercent))),
                    RequestReader.Patch(body, "connectionPool", request.ConnectionPool, (pool, tree) => new ConnectionPoolSettings(
                        RequestReader.Patch(tree, "maxConnections", pool.MaxConnections),
                        RequestReader.Patch(tree, "connectTimeout", pool.ConnectTimeout),
                        RequestReader.Patch(tree, "http1MaxPendingRequests", pool.Http1MaxPendingRequests),
                        RequestReader.Patch(tree, "http2MaxRequests", pool.Http2MaxRequests),
                        RequestReader.Patch(tree, "maxRequestsPerConnection", pool.MaxRequestsPerConnection),
                        RequestReader.Patch(tree, "maxRetries", pool.MaxRetries))),
                    RequestReader.Patch(body, "loadBalancer", request.LoadBalancer),
                    RequestReader.Patch(body, "tlsMode", request.TlsMode));
                return new SetTrafficPolicy(service, request.Subset, settings);
            });

        MapWrite<SwitchRequest>(api, "POST", "/switch", "SwitchBlueGreen", "Blue/green: the public host moves wholly to the subset; the preview host takes the previously live one.",
            (request, body, service, reader) => new SwitchBlueGreen(service, request.Subset),
            requestFields: new Dictionary<string, string> { ["targetSubset"] = "subset" });

        MapWrite<RoutingSetupRequest>(api, "POST", "/routing", "CreateRouting",
            "For a service without DestinationRule and VirtualService: subsets from a pod label ({\"labelKey\": \"version\"}, the default) and a route that spreads traffic as Kubernetes does now.",
            (request, body, service, reader) => new CreateRouting(service, request.LabelKey ?? "version"));

        MapWrite<RollbackRequest>(api, "POST", "/rollback", "Rollback", "Undoes the latest change ({}), or restores the state of a history entry ({\"revision\": \"r000002\"}).",
            (request, body, service, reader) => null, rollback: true);

        return endpoints;
    }

    private static RuleOrigin? Origin(RuleOriginRequest? origin) => origin is null ? null : new RuleOrigin(origin.Index, origin.Fingerprint);

    /// <summary>The operation a bound request asks for; problems the record cannot state go to <paramref name="reader"/>.</summary>
    private delegate ITrafficOperation? BuildOperation<TRequest>(TRequest request, JsonObject body, ObjectRef service, RequestReader reader);

    private static void MapWrite<TRequest>(RouteGroupBuilder api, string method, string path, string name, string summary, BuildOperation<TRequest> build,
        bool rollback = false, IReadOnlyDictionary<string, string>? requestFields = null)
        where TRequest : class, IWriteRequest
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

    private static async Task<IResult> WriteAsync<TRequest>(string ns, string name, HttpContext context, IMeshDashboardClient client, BuildOperation<TRequest> build, bool rollback,
        IReadOnlyDictionary<string, string> requestFields, CancellationToken cancellationToken)
        where TRequest : class, IWriteRequest
    {
        // Errors found by the operation name its parameters; the API names the request's fields.
        IResult Invalid(IEnumerable<FieldError> errors) =>
            ServiceApi.Invalid(errors.Select(e => requestFields.TryGetValue(e.Field, out var field) ? e with { Field = field } : e));

        if (client.Current.FindService(ns, name) is not { } service)
        {
            return NotFound(ns, name);
        }
        var bound = await JsonRequestBody.ReadAsync<TRequest>(context.Request, cancellationToken);
        if (bound.Errors.Count > 0)
        {
            return Invalid(bound.Errors);
        }
        var (request, body) = (bound.Value!, bound.Tree!);

        var reader = new RequestReader();
        var reason = request.Reason;
        if (reason?.Length > ChangeRequest.MaxReasonLength)
        {
            reader.Fail("reason", $"is {reason.Length} characters long; at most {ChangeRequest.MaxReasonLength} are kept in the history");
        }
        var serviceRef = new ObjectRef(ResourceKind.Service, ns, name);
        ITrafficOperation? operation;
        try
        {
            operation = rollback
                ? await client.RollbackOperationAsync(serviceRef, (request as RollbackRequest)?.Revision, cancellationToken)
                : build(request, body, serviceRef, reader);
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
                return error.IsConflict ? Stale(error.Errors, requestFields) : Invalid(error.Errors);
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
            // The body referred to what changed (a rule's origin): 409 whether or not If-Match held, since the body, not a header, was stale.
            ChangeStatus.Conflict when outcome.Errors.Count > 0 => Stale(outcome.Errors, requestFields),
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

    /// <summary>A read the cluster answers directly (history): 503 problem+json when it cannot, not a 500.</summary>
    private static async Task<IResult> FromClusterAsync(Func<Task<IResult>> read)
    {
        try
        {
            return await read();
        }
        catch (ClusterWriteException error) when (error.Failure is WriteFailure.Unreachable or WriteFailure.Other)
        {
            return Results.Problem($"The cluster did not answer: {error.Message}", title: "Cluster unreachable", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>Served from the watch cache while the cluster is unreachable: says so (RFC 7234's 110 "Response is Stale").</summary>
    private static void MarkIfStale(HttpContext context, MeshState state)
    {
        if (!state.Health.IsReachable)
        {
            context.Response.Headers.Warning = $"110 - \"Response is Stale: the cluster has been unreachable since {state.Health.UnreachableSince:O}\"";
        }
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

    /// <summary>
    /// 409 for a request whose body refers to a state that changed since it was read (a rule's origin): the fields go in
    /// <c>errors</c> as a validation problem names them. Not 412, which RFC 9110 keeps for a failed precondition header
    /// (If-Match); the API answers 409 for every other conflict with the current state.
    /// </summary>
    private static IResult Stale(IEnumerable<FieldError> errors, IReadOnlyDictionary<string, string> requestFields)
    {
        var named = errors.Select(e => requestFields.TryGetValue(e.Field, out var field) ? e with { Field = field } : e).ToList();
        return Results.Problem(
            string.Join("; ", named.Select(e => e.ToString())),
            title: "Changed since it was read", statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?> { ["errors"] = named.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()) });
    }

    private static IResult PreconditionFailed(MeshService service, string expected, IMeshDashboardClient client) =>
        Results.Problem(
            $"The traffic configuration of {service.Namespace}/{service.Name} changed since ETag {expected}; it is now {client.VersionOf(service)}. Read it again and retry.",
            title: "Changed since If-Match", statusCode: StatusCodes.Status412PreconditionFailed);
}
