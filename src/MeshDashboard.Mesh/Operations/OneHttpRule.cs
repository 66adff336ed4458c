using MeshDashboard.Mesh.Istio;

namespace MeshDashboard.Mesh.Operations;

/// <summary>
/// Finds the one HTTP rule of the service's mesh VirtualService an edit of a single rule (timeout and retries, mirror)
/// goes on: by <see cref="RuleOrigin"/> when given, else by name, label ("rule 2") or 1-based position, as
/// <see cref="SetFault"/> addresses rules.
/// </summary>
internal static class OneHttpRule
{
    /// <summary>
    /// The VirtualService and the rule's index; throws when there is none, and a conflict when the origin went stale.
    /// <paramref name="what"/> is what the edit puts on the rule, for the message when there is no VirtualService.
    /// </summary>
    public static (VirtualServiceView Vs, int Index) Find(ServiceContext context, string rule, RuleOrigin? origin, string what)
    {
        if (context.MeshVirtualService is not { } vs)
        {
            throw new OperationException([new FieldError("rule", $"{context.Name} has no mesh VirtualService, so there is no rule to put {what} on")]);
        }
        if (origin is not null)
        {
            if (origin.Index < 0 || origin.Index >= vs.Http.Length || vs.Http[origin.Index].Fingerprint != origin.Fingerprint)
            {
                // The rule read then is not at that place now: reload rather than guess which rule was meant.
                throw new OperationException([new FieldError("origin", $"rule {origin.Index + 1} of VirtualService {vs.Name} changed since it was read; reload and apply again")])
                {
                    IsConflict = true,
                };
            }
            return (vs, origin.Index);
        }
        var index = SetFault.FindRule(vs.Http, rule);
        return index >= 0 ? (vs, index) : throw new OperationException([new FieldError("rule", $"VirtualService {vs.Name} has no rule \"{rule}\"")]);
    }
}
