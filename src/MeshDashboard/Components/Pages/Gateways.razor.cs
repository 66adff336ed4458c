using System.Collections.Immutable;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Model;

namespace MeshDashboard.Components.Pages;

/// <summary>Every Gateway with its servers and the VirtualServices bound to it; follows the watch cache live.</summary>
public sealed partial class Gateways
{
    private ImmutableArray<GatewayRow> _rows = [];

    protected override bool Show(MeshState state)
    {
        var rows = GatewayRow.From(state.Snapshot);
        if (rows.SequenceEqual(_rows, GatewayRowComparer.Instance))
        {
            return false;
        }
        _rows = rows;
        return true;
    }

    /// <summary>Rows hold arrays; compare them by what they show.</summary>
    private sealed class GatewayRowComparer : IEqualityComparer<GatewayRow>
    {
        public static GatewayRowComparer Instance { get; } = new();

        public bool Equals(GatewayRow? x, GatewayRow? y) =>
            x is not null && y is not null && x.Namespace == y.Namespace && x.Name == y.Name && x.Selector == y.Selector
            && Same(x.Servers, y.Servers, (a, b) => a with { Hosts = [] } == b with { Hosts = [] } && a.Hosts.SequenceEqual(b.Hosts))
            && Same(x.VirtualServices, y.VirtualServices, (a, b) => a.Namespace == b.Namespace && a.Name == b.Name && a.Hosts.SequenceEqual(b.Hosts));

        private static bool Same<T>(ImmutableArray<T> a, ImmutableArray<T> b, Func<T, T, bool> equal) =>
            a.Length == b.Length && a.Zip(b).All(p => equal(p.First, p.Second));

        public int GetHashCode(GatewayRow obj) => HashCode.Combine(obj.Namespace, obj.Name);
    }
}
