using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.Rollouts;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Mesh.Rollouts;

namespace MeshDashboard.Api;

/// <summary>
/// Rollouts for release pipelines: start a guarded canary (<c>?dryRun=true</c> answers the whole plan's preview), read
/// its progress, and pause, resume, promote or abort it. Writes need the ReleaseManager role; the plan's author is the
/// caller, and every step is recorded in the history under that name.
/// </summary>
public static class RolloutApi
{
    public static IEndpointRouteBuilder MapRolloutApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/services/{namespace}/{name}/rollout").WithTags("Rollouts");

        api.MapGet("", async (string @namespace, string name, IRolloutClient rollouts, IMeshDashboardClient client, TimeProvider time, CancellationToken cancellationToken) =>
                client.Current.FindService(@namespace, name) is null ? UnknownService(@namespace, name)
                : await rollouts.GetAsync(new ObjectRef(ResourceKind.Service, @namespace, name), cancellationToken) is { } rollout ? Results.Ok(RolloutDto.From(rollout, time.GetUtcNow()))
                : Results.Problem($"{@namespace}/{name} has no rollout.", title: "No rollout", statusCode: StatusCodes.Status404NotFound))
            .WithName("GetRollout").WithSummary("The service's rollout: phase, current step, weights, gate figures against their thresholds, message.")
            .Produces<RolloutDto>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("", StartAsync)
            .WithName("StartRollout").WithSummary("Starts a guarded canary; ?dryRun=true answers the preview of every step and starts nothing.")
            .RequireAuthorization(Authentication.Roles.CanChangePolicy)
            .Accepts<RolloutRequest>("application/json")
            .Produces<RolloutDto>(StatusCodes.Status201Created).Produces<RolloutPreviewDto>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

        foreach (var (path, kind) in new[] { ("pause", RolloutCommandKind.Pause), ("resume", RolloutCommandKind.Resume), ("promote", RolloutCommandKind.Promote), ("abort", RolloutCommandKind.Abort) })
        {
            api.MapPost("/" + path, (string @namespace, string name, HttpContext context, IRolloutClient rollouts, IMeshDashboardClient client, TimeProvider time, CancellationToken cancellationToken) =>
                    CommandAsync(@namespace, name, kind, context, rollouts, client, time, cancellationToken))
                .WithName(kind + "Rollout").WithSummary(kind switch
                {
                    RolloutCommandKind.Pause => "Holds the current weights (and the time left of the step) until resumed.",
                    RolloutCommandKind.Resume => "Goes on from where it paused; at a manual step, goes on to the next.",
                    RolloutCommandKind.Promote => "Skips the remaining steps: all traffic to the canary.",
                    _ => "Stops it: all traffic back to the stable subset.",
                })
                .RequireAuthorization(Authentication.Roles.CanChangePolicy)
                .Produces<RolloutDto>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        }
        return endpoints;
    }

    private static async Task<IResult> StartAsync(string @namespace, string name, HttpContext context, IRolloutClient rollouts, IMeshDashboardClient client, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (client.Current.FindService(@namespace, name) is null)
        {
            return UnknownService(@namespace, name);
        }
        var bound = await JsonRequestBody.ReadAsync<RolloutRequest>(context.Request, cancellationToken);
        if (bound.Errors.Count > 0)
        {
            return Invalid(bound.Errors);
        }
        var reader = new RequestReader();
        var plan = bound.Value!.ToPlan(new ObjectRef(ResourceKind.Service, @namespace, name), context.User.Identity?.Name ?? "", reader);
        if (reader.Errors.Count > 0)
        {
            return Invalid(reader.Errors);
        }
        try
        {
            if (context.Request.Query["dryRun"].Any(v => string.Equals(v, "true", StringComparison.OrdinalIgnoreCase) || v == "All"))
            {
                return Results.Ok(RolloutPreviewDto.From(await rollouts.PreviewAsync(plan, cancellationToken)));
            }
            var started = await rollouts.StartAsync(plan, cancellationToken);
            return Results.Created($"/api/services/{@namespace}/{name}/rollout", RolloutDto.From(started, time.GetUtcNow()));
        }
        catch (OperationException error)
        {
            return Refused(error);
        }
    }

    private static async Task<IResult> CommandAsync(string ns, string name, RolloutCommandKind kind, HttpContext context, IRolloutClient rollouts, IMeshDashboardClient client,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (client.Current.FindService(ns, name) is null)
        {
            return UnknownService(ns, name);
        }
        try
        {
            var rollout = await rollouts.CommandAsync(new ObjectRef(ResourceKind.Service, ns, name), kind, context.User.Identity?.Name ?? "", cancellationToken);
            // Accepted: the replica that drives the rollout carries the command out at its next tick (at once when it is this one).
            return Results.Accepted($"/api/services/{ns}/{name}/rollout", RolloutDto.From(rollout, time.GetUtcNow()));
        }
        catch (OperationException error)
        {
            return Refused(error);
        }
    }

    private static IResult Refused(OperationException error) => error.IsConflict
        ? Results.Problem(error.Message, title: "Conflicts with the rollout in progress", statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?> { ["errors"] = error.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()) })
        : Invalid(error.Errors);

    private static IResult Invalid(IEnumerable<FieldError> errors) =>
        Results.ValidationProblem(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            detail: string.Join("; ", errors.Select(e => e.ToString())), title: "The request is invalid");

    private static IResult UnknownService(string ns, string name) =>
        Results.Problem($"There is no service {ns}/{name}.", title: "Unknown service", statusCode: StatusCodes.Status404NotFound);
}
