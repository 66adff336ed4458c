using System.Collections.Immutable;

namespace MeshDashboard.Model;

/// <summary>
/// The overview's search and namespace filter, applied to immutable rows. No namespaces chosen means all of them.
/// </summary>
public sealed record OverviewFilter(string? Search, ImmutableSortedSet<string> Namespaces)
{
    /// <summary>Rows in the chosen namespaces whose shown text (<see cref="ServiceRow.SearchText"/>) holds every word searched for.</summary>
    public ImmutableArray<ServiceRow> Apply(IEnumerable<ServiceRow> rows)
    {
        var words = (Search ?? "").ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return
        [
            .. rows.Where(r =>
                (Namespaces.IsEmpty || Namespaces.Contains(r.Namespace)) &&
                words.All(w => r.SearchText.Contains(w, StringComparison.Ordinal)))
                .OrderBy(r => r.Namespace, StringComparer.Ordinal)
                .ThenBy(r => r.Name, StringComparer.Ordinal),
        ];
    }

    /// <summary>How the namespace picker reads: "All namespaces", or the chosen ones.</summary>
    public string NamespacesText => Namespaces.IsEmpty ? "All namespaces" : string.Join(", ", Namespaces);
}
