using System.Text.Json.Nodes;
using Bunit;
using MeshDashboard.Cluster.History;
using MeshDashboard.Components.Pages;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Tests.Model;
using static MeshDashboard.Tests.Components.TestIds;

namespace MeshDashboard.Tests.Components;

public sealed class ChangesPageTests : DashboardTestContext
{
    /// <summary>The demo mesh plus the recent-changes ConfigMap as the watch delivers it.</summary>
    private static MeshSnapshot WithRecentChanges(params JsonObject[] changes) => DemoSnapshot.Build().With(new KubeObject(ResourceKind.ConfigMap, new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = ChangeHistoryStore.RecentChangesName, ["namespace"] = "meshdashboard", ["resourceVersion"] = "7" },
        ["data"] = new JsonObject { ["changes.json"] = new JsonArray([.. changes]).ToJsonString() },
    }));

    private static JsonObject Change(string ns, string name, string revision, string time, string author, string summary, string? reason = null) => new()
    {
        ["namespace"] = ns, ["name"] = name, ["revision"] = revision, ["time"] = time, ["author"] = author, ["summary"] = summary, ["reason"] = reason,
    };

    [Fact]
    public void Changes_ListsEveryServicesChangesWithLinksToTheService()
    {
        Client.Publish(WithRecentChanges(
            Change("myapp", "myapp", "r000002", "2026-11-25T09:30:00+00:00", "alice", "myapp: weights v1 50%, v2 50%", "release 1.5"),
            Change("bookinfo", "reviews", "r000001", "2026-11-25T09:00:00+00:00", "release-pipeline", "reviews: all to v2")));

        var cut = Render<Changes>();

        var rows = cut.FindAll("[data-testid^='change-']");
        Assert.Equal(2, rows.Count);
        Assert.Contains("alice", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("release 1.5", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("/services/myapp/myapp?tab=history", rows[0].QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("2026-11-25 09:00:00", rows[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Changes_FollowTheWatchedList()
    {
        var cut = Render<Changes>();
        Assert.Contains("No change has been made", cut.Find(Of("recent-changes")).TextContent, StringComparison.Ordinal);

        Client.Publish(WithRecentChanges(Change("myapp", "myapp", "r000001", "2026-11-25T10:00:00+00:00", "bob", "myapp: all to v2")));

        cut.WaitForElement(Of("change-myapp-myapp-r000001"));
    }
}
