using System.Globalization;
using MeshDashboard.Mesh.Istio;

namespace MeshDashboard.Mesh.Catalog;

/// <summary>Puts routing rules into the words a release manager reads: "end-user: tester → v2; everyone else → v1".</summary>
public static class RoutingDescriber
{
    public static string Describe(IReadOnlyList<HttpRouteView> rules, Func<RouteDestinationView, string> destinationName)
    {
        var parts = new List<string>();
        var anyConditional = false;
        foreach (var rule in rules)
        {
            var who = rule.IsCatchAll
                ? (anyConditional ? "everyone else" : "everyone")
                : string.Join(" or ", rule.Matches.Select(m => m.Describe()));
            anyConditional |= !rule.IsCatchAll;
            parts.Add($"{who} → {Targets(rule, destinationName)}{FaultText(rule.Fault)}");
        }
        return parts.Count == 0 ? "no HTTP routes" : string.Join("; ", parts);
    }

    public static string Targets(HttpRouteView rule, Func<RouteDestinationView, string> destinationName)
    {
        if (rule.HasRedirect)
        {
            return "redirect";
        }
        if (rule.HasDirectResponse)
        {
            return "direct response";
        }
        if (rule.HasDelegate)
        {
            return "delegated";
        }
        if (rule.Destinations.Length == 1)
        {
            return destinationName(rule.Destinations[0]);
        }
        var percentages = rule.EffectivePercentages;
        return string.Join(", ", rule.Destinations.Select((d, i) => $"{Percent(percentages[i])} {destinationName(d)}"));
    }

    public static string FaultText(FaultView? fault)
    {
        if (fault is null)
        {
            return "";
        }
        var parts = new List<string>();
        if (fault.HasAbort)
        {
            var status = fault.AbortHttpStatus?.ToString(CultureInfo.InvariantCulture) ?? $"gRPC {fault.AbortGrpcStatus}";
            parts.Add($"{Percent(fault.AbortPercent ?? 0)} aborted with {status}");
        }
        if (fault.HasDelay)
        {
            parts.Add($"{Percent(fault.DelayPercent ?? 0)} delayed {fault.FixedDelay}");
        }
        return parts.Count == 0 ? "" : $" ({string.Join(", ", parts)})";
    }

    public static string Percent(double value) =>
        (Math.Abs(value - Math.Round(value)) < 0.05 ? Math.Round(value).ToString(CultureInfo.InvariantCulture) : value.ToString("0.#", CultureInfo.InvariantCulture)) + "%";
}
