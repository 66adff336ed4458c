using AngleSharp.Dom;
using Bunit;
using MeshDashboard.Components.Pages;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Tests.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using static MeshDashboard.Tests.Components.TestIds;

namespace MeshDashboard.Tests.Components;

/// <summary>The resilience tab on bookinfo/reviews, whose "default" rule has a timeout, retries and a 10% shadow copy to v2.</summary>
public sealed class ResilienceFormsTests() : DashboardTestContext(ResilienceFormModelTests.WithResilience())
{
    private IRenderedComponent<ServicePage> Reviews() =>
        Render<ServicePage>(p => p.Add(x => x.Namespace, "bookinfo").Add(x => x.Name, "reviews"));

    private static string ValueOf(IElement input) => input.GetAttribute("value") ?? "";

    /// <summary>Types into a MudBlazor field and waits until it renders the text (MudBlazor finishes input asynchronously).</summary>
    private static void Type(IRenderedComponent<ServicePage> cut, string id, string text)
    {
        cut.Find(InputOf(id)).Input(text);
        cut.WaitForAssertion(() => Assert.Equal(text, ValueOf(cut.Find(InputOf(id)))));
    }

    private void ApplyInDialog()
    {
        Providers.WaitForElement(Of("preview-apply"));
        Providers.Find(Of("preview-apply")).Click();
    }

    [Fact]
    public void TabInTheAddress_OpensResilience()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/services/bookinfo/reviews?tab=resilience");

        var cut = Reviews();

        Assert.Equal("Resilience", cut.Find(".mud-tab-active").TextContent.Trim());
    }

    [Fact]
    public void TimeoutForm_ShowsTheRulesTimeoutAndRetries()
    {
        var cut = Reviews();

        Assert.Equal("3s", ValueOf(cut.Find(InputOf("timeout-value"))));
        Assert.Equal("3", ValueOf(cut.Find(InputOf("retries-attempts"))));
        Assert.Equal("1s", ValueOf(cut.Find(InputOf("retries-per-try-timeout"))));
        Assert.Equal("5xx,reset", ValueOf(cut.Find(InputOf("retries-retry-on"))));
        Assert.False(cut.Find(Of("apply-timeout")).HasAttribute("disabled"));
    }

    [Fact]
    public void TimeoutForm_AnUnknownRetryConditionShowsTheErrorAndDisablesApply()
    {
        var cut = Reviews();

        Type(cut, "retries-retry-on", "5xx,sometimes");

        cut.WaitForAssertion(() => Assert.Contains("\"sometimes\" is not a retry condition", cut.Find(Of("timeout-retries")).TextContent, StringComparison.Ordinal));
        Assert.True(cut.Find(Of("apply-timeout")).HasAttribute("disabled"));
    }

    [Fact]
    public void TimeoutForm_AppliesSetTimeoutAndRetriesOnTheRuleItRead()
    {
        var cut = Reviews();
        Type(cut, "timeout-value", "5s");
        Type(cut, "retries-per-try-timeout", "");

        cut.Find(Of("apply-timeout")).Click();
        ApplyInDialog();

        cut.WaitForAssertion(() => Assert.Single(Client.Applied));
        var operation = Assert.IsType<SetTimeoutAndRetries>(Client.Applied[0].Operation);
        Assert.Equal("default", operation.Rule);
        Assert.Equal(1, operation.Origin!.Index);
        Assert.Equal(Patch<string>.Set("5s"), operation.Timeout);
        Assert.Equal(Patch<int>.Set(3), operation.Retries.Value!.Attempts);
        Assert.Equal(Patch<string>.Remove, operation.Retries.Value.PerTryTimeout);
        Assert.Equal(Patch<string>.Set("5xx,reset"), operation.Retries.Value.RetryOn);
    }

    [Fact]
    public void MirrorForm_ShowsTheShadowCopy()
    {
        var cut = Reviews();

        Assert.Contains("Shadow copy now: 10% to v2", cut.Find(Of("mirror-current")).TextContent, StringComparison.Ordinal);
        Assert.Equal("10", ValueOf(cut.Find(InputOf("mirror-percent"))));
    }

    [Fact]
    public void MirrorForm_AppliesSetMirrorWithTheNewShare()
    {
        var cut = Reviews();
        Type(cut, "mirror-percent", "25");

        cut.Find(Of("apply-mirror")).Click();
        ApplyInDialog();

        cut.WaitForAssertion(() => Assert.Single(Client.Applied));
        var operation = Assert.IsType<SetMirror>(Client.Applied[0].Operation);
        Assert.Equal("default", operation.Rule);
        Assert.Equal(new MirrorSettings("v2", 25), operation.Mirror);
    }

    [Fact]
    public void MirrorForm_StopMirroringSendsANullMirror()
    {
        var cut = Reviews();

        cut.Find(Of("remove-mirror")).Click();
        ApplyInDialog();

        cut.WaitForAssertion(() => Assert.Single(Client.Applied));
        Assert.Null(Assert.IsType<SetMirror>(Client.Applied[0].Operation).Mirror);
    }
}
