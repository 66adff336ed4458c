using System.Globalization;
using MeshDashboard.Mesh.Istio;

namespace MeshDashboard.Mesh.Catalog;

/// <summary>Puts routing rules into the words a release manager reads: "end-user: tester → v2; everyone else → v1".</summary>
public static class RoutingDescriber
{
    /// <summary>
    /// Every route of a VirtualService in words: HTTP rules in match order with what else they do (mirror copies, timeout,
    /// retries, fault, rewrites), then TCP and TLS routes. A mirror is a copy, never a share of the traffic.
    /// </summary>
    public static string Describe(VirtualServiceView vs, Func<RouteDestinationView, string> destinationName)
    {
        var parts = new List<string>();
        var anyConditional = false;
        foreach (var rule in vs.Http)
        {
            parts.Add(Describe(rule, destinationName, anyConditional));
            anyConditional |= !rule.IsCatchAll;
        }
        foreach (var route in vs.Tcp.Concat(vs.Tls))
        {
            var which = route.Conditions.IsEmpty ? "all connections" : string.Join(" or ", route.Conditions);
            var targets = route.Destinations.Length == 1
                ? destinationName(route.Destinations[0])
                : string.Join(", ", route.Destinations.Select((d, i) => $"{Percent(route.EffectivePercentages[i])} {destinationName(d)}"));
            parts.Add($"{route.Protocol} {which} → {targets}");
        }
        return parts.Count == 0 ? "no routes" : string.Join("; ", parts);
    }

    /// <summary>One HTTP rule in words; <paramref name="afterConditionalRules"/> says "everyone else" for a catch-all after others.</summary>
    public static string Describe(HttpRouteView rule, Func<RouteDestinationView, string> destinationName, bool afterConditionalRules = false)
    {
        var who = rule.IsCatchAll
            ? (afterConditionalRules ? "everyone else" : "everyone")
            : string.Join(" or ", rule.Matches.Select(m => m.Describe()));
        return $"{who} → {Targets(rule, destinationName)}{FaultText(rule.Fault)}{Extras(rule, destinationName)}";
    }

    /// <summary>What a rule does besides choosing destinations, e.g. " · copy of 20% to v3 · timeout 500ms · retries 3× on 5xx".</summary>
    public static string Extras(HttpRouteView rule, Func<RouteDestinationView, string> destinationName)
    {
        var extras = new List<string>();
        extras.AddRange(rule.Mirrors.Select(m => $"copy of {Percent(m.Percent)} to {destinationName(m.Destination)} (shadow, not answered from)"));
        if (rule.Timeout is { } timeout)
        {
            extras.Add($"timeout {timeout}");
        }
        if (rule.Retries is { } retries)
        {
            extras.Add(retries.Describe());
        }
        extras.AddRange(rule.OtherActions.Where(a => !a.StartsWith("redirects", StringComparison.Ordinal) && !a.StartsWith("answers", StringComparison.Ordinal)
            && !a.StartsWith("delegates", StringComparison.Ordinal)));
        return string.Concat(extras.Select(e => " · " + e));
    }

    public static string Targets(HttpRouteView rule, Func<RouteDestinationView, string> destinationName)
    {
        if (rule.HasRedirect || rule.HasDirectResponse || rule.HasDelegate)
        {
            // "redirects (301) to https://…", "answers 503 itself", "delegates to VirtualService ns/name".
            return rule.OtherActions.FirstOrDefault(a => a.StartsWith("redirects", StringComparison.Ordinal) || a.StartsWith("answers", StringComparison.Ordinal)
                || a.StartsWith("delegates", StringComparison.Ordinal)) ?? "no destination";
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
