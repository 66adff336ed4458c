using AngleSharp.Dom;
using Bunit;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using static MeshDashboard.Tests.Components.TestIds;

namespace MeshDashboard.Tests.Components;

/// <summary>What a first-time user tripped over on the service page, each checked so it stays gone.</summary>
public sealed class FirstRunRoughEdgesTests : DashboardTestContext
{
    private static readonly DateTimeOffset Monday = DateTimeOffset.Parse("2026-11-23T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private IRenderedComponent<ServicePage> Reviews() =>
        Render<ServicePage>(p => p.Add(x => x.Namespace, "bookinfo").Add(x => x.Name, "reviews"));

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    [Fact]
    public void SwitchingTabs_PutsTheTabInTheAddress()
    {
        Navigation.NavigateTo("/services/bookinfo/reviews");
        var cut = Reviews();

        cut.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Fault injection").Click();

        Assert.EndsWith("/services/bookinfo/reviews?tab=fault", Navigation.Uri, StringComparison.Ordinal);
        Assert.Equal("Fault injection", cut.Find(".mud-tab-active").TextContent.Trim());
    }

    [Fact]
    public void Rollback_IsDisabledWithTheReason_WhenOnlyTheBaselineIsRecorded()
    {
        Client.History.Add(new HistoryEntry("r000000", Monday, "baseline", "State before the first change made with MeshDashboard", null, [], true));

        var cut = Reviews();

        cut.WaitForElement(Of("history-entry-0"));
        Assert.True(cut.Find(Of("rollback")).HasAttribute("disabled"));
        // The reason shows as the button's tooltip.
        cut.Find(Of("rollback")).Closest(".mud-tooltip-root")!.TriggerEvent("onpointerenter", new Microsoft.AspNetCore.Components.Web.PointerEventArgs());
        Providers.WaitForAssertion(() => Assert.Contains("Nothing to roll back", Providers.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public void Rollback_IsEnabled_OnceTheHistoryHoldsAChangeMadeHere()
    {
        Client.History.Add(new HistoryEntry("r000001", Monday, "alice", "reviews: weights v1 50%, v2 50%", null, [], false));
        Client.History.Add(new HistoryEntry("r000000", Monday, "baseline", "State before the first change made with MeshDashboard", null, [], true));

        var cut = Reviews();

        cut.WaitForAssertion(() => Assert.False(cut.Find(Of("rollback")).HasAttribute("disabled")));
    }

    [Fact]
    public void History_ShowsRevisionIds_AndTheBaselineWithoutAnAuthor()
    {
        Client.History.Add(new HistoryEntry("r000001", Monday, "alice", "reviews: weights v1 50%, v2 50%", null, [], false));
        Client.History.Add(new HistoryEntry("r000000", Monday, "baseline", "State before the first change made with MeshDashboard", null, [], true));

        var cut = Reviews();

        cut.WaitForElement(Of("history-entry-1"));
        Assert.Equal("r000001", cut.Find(Of("history-revision-0")).TextContent.Trim());
        Assert.Equal("r000000", cut.Find(Of("history-revision-1")).TextContent.Trim());
        Assert.Contains("by alice", cut.Find(Of("history-entry-0")).TextContent, StringComparison.Ordinal);
        var baseline = cut.Find(Of("history-entry-1")).TextContent;
        Assert.DoesNotContain("by baseline", baseline, StringComparison.Ordinal);
        Assert.Contains("state before the first change", baseline, StringComparison.Ordinal);
    }

    [Fact]
    public void FaultTab_ShowsNoErrorBeforeAnythingIsTouched_ThenOnApply()
    {
        // myapp's rule has no fault yet, so its empty fault form would not pass.
        var cut = Render<ServicePage>(p => p.Add(x => x.Namespace, "myapp").Add(x => x.Name, "myapp"));
        var fault = cut.Find(Of("fault-injection"));

        // Nothing typed yet: the empty fault would not pass ("set an abort, a delay or both"), but that is no error of the person's.
        Assert.DoesNotContain("set an abort, a delay or both", fault.TextContent, StringComparison.Ordinal);
        Assert.False(cut.Find(Of("apply-fault")).HasAttribute("disabled"));

        cut.Find(Of("apply-fault")).Click();

        cut.WaitForAssertion(() => Assert.Contains("set an abort, a delay or both", cut.Find(Of("fault-injection")).TextContent, StringComparison.Ordinal));
        Assert.Empty(Client.Previewed);
    }

    [Fact]
    public void CircuitBreaker_LabelsInPlainWords_WithTheFieldNameAsAHint()
    {
        var cut = Reviews();
        var form = cut.Find(Of("circuit-breaker"));

        var labels = form.QuerySelectorAll("label").Select(l => l.TextContent.Trim()).Where(t => t.Length > 0).ToList();
        Assert.Contains("Requests per connection", labels);
        Assert.DoesNotContain(labels, l => l.Contains('.', StringComparison.Ordinal) && !l.StartsWith("Max.", StringComparison.Ordinal) && !l.StartsWith("Min.", StringComparison.Ordinal));
        Assert.DoesNotContain(labels, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^[a-z]+[A-Z0-9]"));
        var hints = form.QuerySelectorAll(".mud-input-helper-text").Select(h => h.TextContent).ToList();
        Assert.Contains(hints, h => h.Contains("http.maxRequestsPerConnection", StringComparison.Ordinal));
        Assert.Contains(hints, h => h.Contains("consecutive5xxErrors", StringComparison.Ordinal));
    }

    [Fact]
    public void PreviewDialog_PutsTheReasonAboveTheDiff_WithOneElementPerLine()
    {
        var cut = Reviews();
        cut.Find(Of("even-split")).Click();
        cut.WaitForAssertion(() => Assert.False(cut.Find(Of("apply-weights")).HasAttribute("disabled")));
        cut.Find(Of("apply-weights")).Click();

        var diff = Providers.WaitForElement(Of("diff"));
        var reason = Providers.Find(InputOf("preview-reason"));
        Assert.True(reason.CompareDocumentPosition(diff).HasFlag(DocumentPositions.Following), "the reason comes before the diff");
        var kinds = diff.QuerySelectorAll(".md-diff-line").Select(l => l.GetAttribute("data-kind")).ToList();
        Assert.Contains("added", kinds);
        // Within a changed block the removed lines come first: an added line is never followed by a removed one.
        Assert.DoesNotContain(kinds.Zip(kinds.Skip(1)), pair => pair is ("added", "removed"));
        // No line breaks as text between the lines: each line is its own element (no double spacing).
        Assert.DoesNotContain(diff.ChildNodes, n => n.NodeType == NodeType.Text && n.TextContent.Contains('\n', StringComparison.Ordinal));
    }
}
