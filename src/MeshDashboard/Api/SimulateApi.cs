using MeshDashboard.Cluster.Client;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Mesh.Simulation;

namespace MeshDashboard.Api;

/// <summary>
/// <c>POST /api/simulate</c>: "where does this request go?" against the live snapshot. A read (view role), posted
/// because a request has headers and labels; like every API POST it takes <c>Content-Type: application/json</c>.
/// The records live here rather than in ApiModels.cs because nothing else uses them.
/// </summary>
public static class SimulateApi
{
    public static IEndpointRouteBuilder MapSimulateApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/simulate", async (HttpContext context, IMeshDashboardClient client, CancellationToken cancellationToken) =>
            {
                var bound = await JsonRequestBody.ReadAsync<SimulateRequest>(context.Request, cancellationToken);
                var errors = bound.Errors.Count > 0 ? bound.Errors : Validate(bound.Value!);
                if (errors.Count > 0)
                {
                    return Results.ValidationProblem(
                        errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                        detail: string.Join("; ", errors.Select(e => e.ToString())),
                        title: "The request is invalid");
                }
                var body = bound.Value!;
                var result = RequestSimulator.Simulate(client.Current.Snapshot, new SimulatedRequest
                {
                    Host = body.Host,
                    Gateway = body.Gateway,
                    Method = body.Method,
                    Path = body.Path,
                    Scheme = body.Scheme,
                    Port = body.Port,
                    Headers = body.Headers ?? new Dictionary<string, string>(),
                    SourceLabels = body.SourceLabels ?? new Dictionary<string, string>(),
                    SourceNamespace = body.SourceNamespace,
                });
                return Results.Ok(SimulationDto.From(result));
            })
            .RequireAuthorization(Authentication.Roles.CanViewPolicy)
            .WithTags("Simulation").WithName("Simulate")
            .WithSummary("Where a request goes: the VirtualService and rule it meets, its destinations with percentages, mirrors, fault, timeout, retries, and why.")
            .Accepts<SimulateRequest>("application/json")
            .Produces<SimulationDto>()
            .ProducesValidationProblem();
        return endpoints;
    }

    internal static IReadOnlyList<FieldError> Validate(SimulateRequest request)
    {
        var errors = new List<FieldError>();
        var atGateway = request.Gateway is { Length: > 0 } g && g != "mesh";
        if (string.IsNullOrWhiteSpace(request.Host))
        {
            errors.Add(new FieldError("host", "must not be empty"));
        }
        else if (!atGateway && !request.Host.Contains('.', StringComparison.Ordinal) && string.IsNullOrEmpty(request.SourceNamespace))
        {
            errors.Add(new FieldError("sourceNamespace", $"is needed to resolve the short host \"{request.Host}\" (or give the host as name.namespace)"));
        }
        if (atGateway && request.Gateway!.Split('/') is not [{ Length: > 0 }, { Length: > 0 }])
        {
            errors.Add(new FieldError("gateway", "must be \"mesh\" or \"namespace/name\""));
        }
        if (!request.Path.StartsWith('/'))
        {
            errors.Add(new FieldError("path", "must start with /"));
        }
        if (string.IsNullOrWhiteSpace(request.Method))
        {
            errors.Add(new FieldError("method", "must not be empty"));
        }
        if (request.Port is < 1 or > 65535)
        {
            errors.Add(new FieldError("port", "must be between 1 and 65535"));
        }
        return errors;
    }
}

/// <summary>The request to simulate; <c>gateway</c> null or <c>mesh</c> = sent by a sidecar in <c>sourceNamespace</c>.</summary>
public sealed record SimulateRequest(
    string Host,
    string? Gateway = null,
    string Method = "GET",
    string Path = "/",
    IReadOnlyDictionary<string, string>? Headers = null,
    IReadOnlyDictionary<string, string>? SourceLabels = null,
    string? SourceNamespace = null,
    string Scheme = "http",
    int? Port = null);

public sealed record SimulationDto(
    string Outcome,
    string Host,
    SimulatedObject? VirtualService,
    SimulatedRule? Rule,
    IReadOnlyList<SimulatedDestination> Destinations,
    IReadOnlyList<SimulatedDestination> Mirrors,
    SimulatedFault? Fault,
    string? Timeout,
    SimulatedRetries? Retries,
    IReadOnlyList<string> Explanation)
{
    public static SimulationDto From(SimulationResult r) => new(
        char.ToLowerInvariant(r.Outcome.ToString()[0]) + r.Outcome.ToString()[1..],
        r.Host, r.VirtualService, r.Rule, r.Destinations, r.Mirrors, r.Fault, r.Timeout, r.Retries, r.Explanation);
}
