using Bunit;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Components.Controls;
using static MeshDashboard.Tests.Components.TestIds;

namespace MeshDashboard.Tests.Components;

public sealed class ClusterOutageBannerTests : DashboardTestContext
{
    private static readonly DateTimeOffset Since = DateTimeOffset.Parse("2026-12-02T10:15:30Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Banner_AppearsWhenTheClusterStopsAnswering_AndGoesWhenItIsBack()
    {
        var cut = Render<ClusterOutageBanner>();
        Assert.Empty(cut.FindAll(Of("cluster-outage")));

        Client.Publish(new ConnectionHealth(Since, Since.AddSeconds(-2), "connection refused"));
        cut.WaitForAssertion(() => Assert.Contains("changes are paused", cut.Find(Of("cluster-outage")).TextContent, StringComparison.Ordinal));
        Assert.Contains(Since.ToLocalTime().ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), cut.Find(Of("cluster-outage")).TextContent, StringComparison.Ordinal);

        Client.Publish(new ConnectionHealth(null, Since.AddMinutes(1), null));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(Of("cluster-outage"))));
    }
}
