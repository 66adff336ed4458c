namespace MeshDashboard.Mesh.Catalog;

/// <summary>How Istio reads host names in VirtualServices and DestinationRules.</summary>
public static class HostNames
{
    public const string ClusterDomain = "cluster.local";

    public static string ServiceFqdn(string ns, string name) => $"{name}.{ns}.svc.{ClusterDomain}";

    /// <summary>
    /// A short name (no dots) is relative to the namespace of the rule that names it; any name with a dot
    /// is taken as written, as Istio does (<c>reviews.bookinfo</c> is not expanded).
    /// </summary>
    public static string Resolve(string host, string ruleNamespace) =>
        host.Contains('.', StringComparison.Ordinal) || host.Contains('*', StringComparison.Ordinal) || host.Length == 0
            ? host
            : ServiceFqdn(ruleNamespace, host);

    /// <summary>Whether a host pattern (possibly <c>*.example.com</c> or <c>*</c>) covers a concrete host.</summary>
    public static bool Covers(string pattern, string host)
    {
        if (pattern == "*")
        {
            return true;
        }
        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            return host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase);
        }
        return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
    }
}
