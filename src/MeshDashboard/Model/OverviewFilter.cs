using System.Collections.Immutable;

namespace MeshDashboard.Model;

/// <summary>
/// The overview's search, namespace filter and whether gateways and system workloads are listed, applied to immutable
/// rows. No namespaces chosen means all of them; gateways and system workloads are left out unless asked for, so the
/// list is the applications a person routes.
/// </summary>
public sealed record OverviewFilter(string? Search, ImmutableSortedSet<string> Namespaces, bool WithInfrastructure = false)
{
    /// <summary>
    /// Rows in the chosen namespaces whose shown text (<see cref="ServiceRow.SearchText"/>, lower-cased when the row was
    /// made) holds every word searched for: only the search words are lower-cased here.
    /// </summary>
    public ImmutableArray<ServiceRow> Apply(IEnumerable<ServiceRow> rows)
    {
        var words = Words;
        return
        [
            .. rows.Where(r => Matches(r, words) && (WithInfrastructure || r.IsApp))
                .OrderBy(r => r.Namespace, StringComparer.Ordinal)
                .ThenBy(r => r.Name, StringComparer.Ordinal),
        ];
    }

    /// <summary>How many gateway and system rows the search and namespaces would show, were they listed.</summary>
    public int InfrastructureMatching(IEnumerable<ServiceRow> rows)
    {
        var words = Words;
        return rows.Count(r => !r.IsApp && Matches(r, words));
    }

    private string[] Words => (Search ?? "").ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private bool Matches(ServiceRow row, string[] words) =>
        (Namespaces.IsEmpty || Namespaces.Contains(row.Namespace)) && words.All(w => row.SearchText.Contains(w, StringComparison.Ordinal));

    /// <summary>How the namespace picker reads: "All namespaces", or the chosen ones.</summary>
    public string NamespacesText => Namespaces.IsEmpty ? "All namespaces" : string.Join(", ", Namespaces);
}
