using Bunit;
using MeshDashboard.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static MeshDashboard.Tests.Components.TestIds;

namespace MeshDashboard.Tests.Components;

/// <summary>
/// The overview's rows follow each keystroke at once; its address (a navigation through the browser) follows the search
/// only once typing rests, and a click on a filter writes the address at once. On a hand-moved clock.
/// </summary>
public sealed class OverviewSearchAddressTests : DashboardTestContext
{
    private readonly FakeTimeProvider _time;

    public OverviewSearchAddressTests()
        : this(new FakeTimeProvider())
    {
    }

    private OverviewSearchAddressTests(FakeTimeProvider time)
        : base(time: time) => _time = time;

    [Fact]
    public void Overview_TypedSearchFiltersAtOnceAndReachesTheAddressWhenTypingRests()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var cut = Render<Overview>();

        cut.Find(InputOf("service-search")).Input("rev");
        cut.Find(InputOf("service-search")).Input("revi");

        // The rows follow each keystroke; the address (a navigation) waits until typing rests.
        cut.WaitForAssertion(() => Assert.Equal("1 of 6 services", cut.Find(Of("service-count")).TextContent.Trim()));
        Assert.DoesNotContain("q=", navigation.Uri, StringComparison.Ordinal);
        _time.Advance(Overview.AddressFollowsSearchAfter - TimeSpan.FromMilliseconds(1));
        Assert.DoesNotContain("q=", navigation.Uri, StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromMilliseconds(1));

        // Once, with the newest search: the timer of "rev" was replaced by that of "revi".
        cut.WaitForAssertion(() => Assert.EndsWith("?q=revi", navigation.Uri, StringComparison.Ordinal));
        Assert.Equal("revi", cut.Find(InputOf("service-search")).GetAttribute("value"));
        Assert.Equal("1 of 6 services", cut.Find(Of("service-count")).TextContent.Trim());
    }

    [Fact]
    public async Task Overview_SearchNotYetInTheAddressIsNotWrittenAfterThePageIsLeft()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var cut = Render<Overview>();
        cut.Find(InputOf("service-search")).Input("revi");
        cut.WaitForAssertion(() => Assert.Equal("1 of 6 services", cut.Find(Of("service-count")).TextContent.Trim()));

        // A row opened within the delay: the overview is gone before its timer would have written the address.
        navigation.NavigateTo("/services/bookinfo/reviews");
        await DisposeComponentsAsync();
        _time.Advance(Overview.AddressFollowsSearchAfter);

        Assert.EndsWith("/services/bookinfo/reviews", navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Overview_ChoosingNamespacesWritesTheTypedSearchWithThemAtOnce()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var cut = Render<Overview>();
        cut.Find(InputOf("service-search")).Input("r");

        cut.Find(Of("namespace-filter")).Closest(".mud-input-control")!.MouseDown();
        Providers.WaitForElements(".mud-list-item").Single(i => i.TextContent.Trim() == "bookinfo").Click();

        // No clock moved: a click writes the whole filter, the search typed before it included.
        cut.WaitForAssertion(() => Assert.EndsWith("?q=r&ns=bookinfo", navigation.Uri, StringComparison.Ordinal));
    }

    [Fact]
    public void Overview_AKeystrokeLeavesTheNamespacePickerAsItWas()
    {
        var cut = Render<Overview>();
        var picker = cut.FindComponent<MeshDashboard.Components.Controls.NamespacePicker>();
        var renders = picker.RenderCount;

        cut.Find(InputOf("service-search")).Input("revi");
        cut.WaitForAssertion(() => Assert.Equal("1 of 6 services", cut.Find(Of("service-count")).TextContent.Trim()));

        Assert.Equal(renders, picker.RenderCount);
        cut.Find(Of("namespace-filter")).Closest(".mud-input-control")!.MouseDown();
        Providers.WaitForElements(".mud-list-item").Single(i => i.TextContent.Trim() == "bookinfo").Click();
        cut.WaitForAssertion(() => Assert.True(picker.RenderCount > renders, "a choice of namespace renders the picker"));
    }
}
