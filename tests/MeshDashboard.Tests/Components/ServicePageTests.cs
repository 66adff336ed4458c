using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Components.Pages;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Tests.Model;
using static MeshDashboard.Tests.Components.TestIds;

namespace MeshDashboard.Tests.Components;

public sealed class ServicePageTests : DashboardTestContext
{
    private IRenderedComponent<ServicePage> Open(string ns, string name) =>
        Render<ServicePage>(p => p.Add(x => x.Namespace, ns).Add(x => x.Name, name));

    private IRenderedComponent<ServicePage> Reviews() => Open("bookinfo", "reviews");

    private static string ValueOf(IElement input) => input.GetAttribute("value") ?? "";

    /// <summary>
    /// Types into a MudBlazor field and waits until the field renders the text: MudBlazor finishes an input event
    /// asynchronously, so what the form shows (and what Apply sends) is only settled once the value is rendered.
    /// </summary>
    private static void Type(IRenderedComponent<ServicePage> cut, string id, string text)
    {
        cut.Find(InputOf(id)).Input(text);
        cut.WaitForAssertion(() => Assert.Equal(text, ValueOf(cut.Find(InputOf(id)))));
    }

    /// <summary>
    /// Clicks a form's Apply once the form has taken in what was typed: MudBlazor shows typed text before it hands the
    /// value to the form, so a click right after typing can meet a button the form has not enabled yet.
    /// </summary>
    private static void ClickWhenEnabled(IRenderedComponent<ServicePage> cut, string id)
    {
        cut.WaitForAssertion(() => Assert.False(cut.Find(Of(id)).HasAttribute("disabled"), $"{id} is still disabled"));
        cut.Find(Of(id)).Click();
    }

    private void ApplyInDialog(string? reason = null)
    {
        Providers.WaitForElement(Of("preview-apply"));
        if (reason is not null)
        {
            Providers.Find(InputOf("preview-reason")).Change(reason);
        }
        Providers.Find(Of("preview-apply")).Click();
    }

    [Fact]
    public void Header_ShowsNamePodsAndTheRoutingInWordsAndPictures()
    {
        var cut = Reviews();

        Assert.Equal("reviews", cut.Find(Of("service-name")).TextContent.Trim());
        Assert.Matches(@"\d+/\d+ pods ready", cut.Find(Of("service-pods")).TextContent);
        Assert.NotEmpty(cut.FindAll(Of("routing-summary")));
        Assert.Contains(cut.FindAll(Of("split-bar")), b => b.TextContent.Contains("v1 100%", StringComparison.Ordinal));
    }

    [Fact]
    public void WeightInput_RebalancesTheOtherSubsets()
    {
        var cut = Reviews();

        Type(cut, "weight-input-v2", "30");

        cut.WaitForAssertion(() => Assert.Equal("70", ValueOf(cut.Find(InputOf("weight-input-v1")))));
        Assert.Equal("30", ValueOf(cut.Find(InputOf("weight-input-v2"))));
        Assert.Equal("0", ValueOf(cut.Find(InputOf("weight-input-v3"))));
    }

    [Fact]
    public void WeightSlider_IsLabelledAndMovesTheSplit()
    {
        var cut = Reviews();

        var slider = cut.Find(InputOf("weight-slider-v3"));
        Assert.Equal("range", slider.GetAttribute("type"));
        Assert.Contains("Weight of v3", cut.Markup, StringComparison.Ordinal);
        slider.Input("40");

        cut.WaitForAssertion(() => Assert.Equal("60", ValueOf(cut.Find(InputOf("weight-input-v1")))));
    }

    [Fact]
    public void LockedSubset_KeepsItsWeightAndEvenSplitReleasesIt()
    {
        var cut = Reviews();
        cut.Find(Of("even-split")).Click();
        cut.Find(InputOf("weight-lock-v1")).Change(true);

        Type(cut, "weight-input-v2", "60");

        cut.WaitForAssertion(() => Assert.Equal("34", ValueOf(cut.Find(InputOf("weight-input-v1")))));
        Assert.Equal("6", ValueOf(cut.Find(InputOf("weight-input-v3"))));
        Assert.True(cut.Find(InputOf("weight-input-v1")).HasAttribute("disabled"));
    }

    [Fact]
    public void RouteAllTo_PutsEverythingOnOneSubset()
    {
        var cut = Reviews();

        cut.Find(Of("route-all-to-v3")).Click();

        Assert.Equal(["0", "0", "100"], new[] { "v1", "v2", "v3" }.Select(s => ValueOf(cut.Find(InputOf($"weight-input-{s}")))));
    }

    [Fact]
    public void RuleBuilder_ReordersRulesWithTheArrowButtons()
    {
        var cut = Reviews();
        cut.Find(Of("rule-add")).Click();
        Type(cut, "rule-name-1", "beta-users");

        cut.Find(Of("rule-up-1")).Click();

        Assert.Equal("beta-users", ValueOf(cut.Find(InputOf("rule-name-0"))));
        Assert.Equal("tester", ValueOf(cut.Find(InputOf("rule-name-1"))));
    }

    [Fact]
    public void CircuitBreaker_SubsetScopeShowsTheConsecutiveErrorsMigration()
    {
        var cut = Open("myapp", "myapp");

        cut.Find(Of("policy-scope")).Closest(".mud-input-control")!.MouseDown();
        Providers.WaitForElements(".mud-list-item").Single(i => i.TextContent.Contains("subset v2 only", StringComparison.Ordinal)).Click();

        cut.WaitForAssertion(() => Assert.Contains("as consecutiveGatewayErrors 7 with consecutive5xxErrors 0", cut.Find(Of("policy-deprecated")).TextContent, StringComparison.Ordinal));
        Assert.Equal("0", ValueOf(cut.Find(InputOf("outlier-consecutive5xx"))));
        Assert.Equal("7", ValueOf(cut.Find(InputOf("outlier-gateway"))));
    }

    [Fact]
    public void ApplyWeights_IsDisabledUntilTheSplitChanges()
    {
        var cut = Reviews();
        Assert.True(cut.Find(Of("apply-weights")).HasAttribute("disabled"));

        cut.Find(Of("even-split")).Click();

        Assert.False(cut.Find(Of("apply-weights")).HasAttribute("disabled"));
    }

    [Fact]
    public void ApplyWeights_PreviewsThenAppliesSetWeightsWithTheReasonAndBaseVersion()
    {
        var cut = Reviews();
        cut.Find(Of("even-split")).Click();

        ClickWhenEnabled(cut, "apply-weights");
        Assert.Contains("md-diff", Providers.WaitForElement(Of("diff")).ClassName, StringComparison.Ordinal);
        ApplyInDialog("canary for 1.5");

        cut.WaitForAssertion(() => Assert.Single(Client.Applied));
        var (operation, request) = Client.Applied[0];
        var weights = Assert.IsType<SetWeights>(operation).Weights;
        Assert.Equal(34, weights["v1"]);
        Assert.Equal("canary for 1.5", request.Reason);
        Assert.Equal("\"test\"", request.ExpectedVersion);
        Providers.WaitForAssertion(() => Assert.Contains("Applied: reviews: weights", Providers.Markup, StringComparison.Ordinal));
        Assert.Empty(Providers.FindAll(Of("preview-apply")));
    }

    [Fact]
    public void RuleBuilder_NamesTheFieldOfAnInvalidHeaderName()
    {
        var cut = Reviews();

        Type(cut, "condition-name-0-0", "end user");

        cut.WaitForAssertion(() => Assert.Contains("not a valid header name", cut.Find(Of("rule-0")).TextContent, StringComparison.Ordinal));
        Assert.True(cut.Find(Of("apply-rules")).HasAttribute("disabled"));
    }

    [Fact]
    public void RuleBuilder_RejectsABadRegex()
    {
        var cut = Reviews();

        cut.FindAll($"{Of("condition-match-0-0")} button").Single(b => b.TextContent.Trim() == "regex").Click();
        Type(cut, "condition-value-0-0", "(unclosed");

        cut.WaitForAssertion(() => Assert.Contains("not a valid RE2 regular expression", cut.Find(Of("rule-0")).TextContent, StringComparison.Ordinal));
        Assert.True(cut.Find(Of("apply-rules")).HasAttribute("disabled"));
    }

    [Fact]
    public void RuleBuilder_RejectsADuplicateRuleName()
    {
        var cut = Reviews();

        cut.Find(Of("rule-add")).Click();
        Type(cut, "rule-name-1", "tester");

        cut.WaitForAssertion(() => Assert.Contains("used by more than one rule", cut.Find(Of("rule-1")).TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void RuleBuilder_ApplySendsOneRuleWithItsConditionsAnded()
    {
        var cut = Reviews();
        cut.Find(Of("condition-add-0")).Click();
        Type(cut, "condition-name-0-1", "x-beta");
        Type(cut, "condition-value-0-1", "yes");

        ClickWhenEnabled(cut, "apply-rules");
        ApplyInDialog();

        cut.WaitForAssertion(() => Assert.Single(Client.Applied));
        var operation = Assert.IsType<SetRoutingRules>(Client.Applied[0].Operation);
        var rule = Assert.Single(operation.Rules);
        Assert.Equal("tester", rule.Name);
        Assert.Equal(["end-user", "x-beta"], rule.Conditions.Select(c => c.Name));
        Assert.Equal(100, operation.Fallback["v1"]);
    }

    [Fact]
    public void RuleBuilder_OrSetAddsASecondMatchEntryToTheRule()
    {
        var cut = Reviews();
        cut.Find(Of("or-set-add-0")).Click();
        Type(cut, "condition-name-0-or1-0", "x-beta");
        Type(cut, "condition-value-0-or1-0", "yes");

        ClickWhenEnabled(cut, "apply-rules");
        ApplyInDialog();

        cut.WaitForAssertion(() => Assert.Single(Client.Applied));
        var rule = Assert.Single(Assert.IsType<SetRoutingRules>(Client.Applied[0].Operation).Rules);
        Assert.Equal("end-user", Assert.Single(rule.Conditions).Name);
        var orSet = Assert.Single(rule.OrConditions);
        Assert.Equal(new MatchCondition(ConditionKind.Header, "x-beta", MatchKind.Exact, "yes"), Assert.Single(orSet));
    }

    [Fact]
    public void RuleBuilder_AnEmptyOrSetBlocksApplyWithTheReason()
    {
        var cut = Reviews();
        cut.Find(Of("or-set-add-0")).Click();
        cut.Find(Of("condition-set-0-1")).QuerySelector("[aria-label='Remove condition']")!.Click();

        cut.WaitForAssertion(() => Assert.Contains("would match every request", cut.Find(Of("condition-set-0-1")).TextContent, StringComparison.Ordinal));
        Assert.True(cut.Find(Of("apply-rules")).HasAttribute("disabled"));
    }

    [Fact]
    public void ServiceWithoutRouting_OffersSetupInsteadOfEmptyTrafficForms()
    {
        var cut = Open("bookinfo", "ratings");

        Assert.NotEmpty(cut.FindAll(Of("routing-setup")));
        Assert.Empty(cut.FindAll(Of("traffic-split")));
        Assert.Equal("version", ValueOf(cut.Find(InputOf("routing-label-key"))));
        Assert.Contains("version (1 value)", cut.Find(Of("routing-label-suggestions")).TextContent, StringComparison.Ordinal);
        cut.Find(Of("routing-create")).Click();

        Providers.WaitForElement(Of("preview-apply"));
        Assert.Equal(new CreateRouting(new ObjectRef(ResourceKind.Service, "bookinfo", "ratings"), "version"), Client.Previewed.Last());
        Assert.Contains("traffic as now", Providers.Find(Of("preview-summary")).TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceWithoutRouting_ShowsTheLabelErrorOnTheLabelField()
    {
        var cut = Open("bookinfo", "ratings");
        Type(cut, "routing-label-key", "track");

        cut.Find(Of("routing-create")).Click();

        cut.WaitForAssertion(() => Assert.Contains("no pod of ratings has the label", cut.Find(Of("routing-setup")).TextContent, StringComparison.Ordinal));
        Assert.Empty(Providers.FindAll(Of("preview-apply")));
    }

    [Fact]
    public void TabInTheAddress_OpensThatTab()
    {
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("/services/myapp/myapp?tab=history");

        var cut = Open("myapp", "myapp");

        Assert.Equal("History", cut.Find(".mud-tab-active").TextContent.Trim());
    }

    [Fact]
    public void FaultForm_RejectsStatus700()
    {
        var cut = Reviews();

        Type(cut, "fault-abort-status", "700");

        cut.WaitForAssertion(() => Assert.Contains("outside 200..600", cut.Find(Of("fault-injection")).TextContent, StringComparison.Ordinal));
        Assert.True(cut.Find(Of("apply-fault")).HasAttribute("disabled"));
    }

    [Fact]
    public void FaultForm_AppliesSetFaultOnTheChosenRule()
    {
        var cut = Reviews();
        Type(cut, "fault-abort-percent", "10");

        ClickWhenEnabled(cut, "apply-fault");
        ApplyInDialog();

        cut.WaitForAssertion(() => Assert.Single(Client.Applied));
        var operation = Assert.IsType<SetFault>(Client.Applied[0].Operation);
        Assert.Equal("tester", operation.Rule);
        Assert.Equal(10, operation.Fault!.AbortPercent);
        Assert.Equal(503, operation.Fault.AbortHttpStatus);
    }

    [Fact]
    public void FaultForm_AbortsWithAGrpcStatusChosenFromTheList()
    {
        var cut = Reviews();
        cut.FindAll($"{Of("fault-abort-protocol")} button").Single(b => b.TextContent.Trim() == "gRPC").Click();

        cut.WaitForElement(Of("fault-abort-grpc-status")).Closest(".mud-input-control")!.MouseDown();
        Providers.WaitForElements(".mud-list-item").Single(i => i.TextContent.Trim() == "UNAVAILABLE").Click();
        cut.WaitForAssertion(() => Assert.False(cut.Find(Of("apply-fault")).HasAttribute("disabled")));
        ClickWhenEnabled(cut, "apply-fault");
        ApplyInDialog();

        cut.WaitForAssertion(() => Assert.Single(Client.Applied));
        var fault = Assert.IsType<SetFault>(Client.Applied[0].Operation).Fault!;
        Assert.Equal("UNAVAILABLE", fault.AbortGrpcStatus);
        Assert.Null(fault.AbortHttpStatus);
        Assert.Equal(50, fault.AbortPercent);
    }

    [Fact]
    public void CircuitBreaker_ShowsIstioDefaultsAndAppliesSetTrafficPolicy()
    {
        var cut = Open("myapp", "myapp");
        Assert.Contains("Istio's default: 5", cut.Find(Of("circuit-breaker")).TextContent, StringComparison.Ordinal);

        Type(cut, "outlier-consecutive5xx", "7");
        ClickWhenEnabled(cut, "apply-policy");
        ApplyInDialog();

        cut.WaitForAssertion(() => Assert.Single(Client.Applied));
        var operation = Assert.IsType<SetTrafficPolicy>(Client.Applied[0].Operation);
        Assert.Null(operation.Subset);
        Assert.Equal(Patch<int>.Set(7), operation.Policy.OutlierDetection.Value!.Consecutive5xxErrors);
    }

    [Fact]
    public void ManagedService_IsReadOnlyWithTheReasonShown()
    {
        var snapshot = DemoSnapshot.Build(o =>
        {
            if ((string?)o["kind"] == "VirtualService" && (string?)o["metadata"]!["name"] == "reviews")
            {
                o["metadata"]!["annotations"] = new JsonObject { ["meshdashboard.io/argo-rollout"] = "reviews-rollout" };
            }
            return o;
        });
        Client.Publish(snapshot);

        var cut = Reviews();

        Assert.Contains("Argo Rollouts", cut.Find(Of("read-only-banner")).TextContent, StringComparison.Ordinal);
        Assert.True(cut.Find(InputOf("weight-input-v1")).HasAttribute("disabled"));
        Assert.True(cut.Find(Of("even-split")).HasAttribute("disabled"));
        Assert.True(cut.Find(Of("rule-add")).HasAttribute("disabled"));
        Assert.True(cut.Find(Of("apply-fault")).HasAttribute("disabled"));
        Assert.True(cut.Find(Of("rollback")).HasAttribute("disabled"));
    }

    [Fact]
    public void ServiceTheClusterWouldRefuse_IsReadOnlyWithTheClustersReason()
    {
        Client.CannotChangeReason = "The cluster does not allow rita to change VirtualService bookinfo/reviews.";

        var cut = Reviews();

        cut.WaitForAssertion(() => Assert.Contains("does not allow rita", cut.Find(Of("read-only-banner")).TextContent, StringComparison.Ordinal));
        Assert.True(cut.Find(InputOf("weight-input-v1")).HasAttribute("disabled"));
        Assert.True(cut.Find(Of("apply-fault")).HasAttribute("disabled"));
        Assert.True(cut.Find(Of("rollback")).HasAttribute("disabled"));
    }

    [Fact]
    public void PreviewDialog_ShowsTheDryRunRefusalAndDoesNotApply()
    {
        Client.DryRun = new DryRunVerdict(false, "admission webhook \"validation.istio.io\" denied the request");
        var cut = Reviews();
        cut.Find(Of("even-split")).Click();

        ClickWhenEnabled(cut, "apply-weights");

        var verdict = Providers.WaitForElement(Of("preview-verdict"));
        Assert.Contains("denied the request", verdict.TextContent, StringComparison.Ordinal);
        Assert.True(Providers.Find(Of("preview-apply")).HasAttribute("disabled"));
        Assert.NotEmpty(Providers.FindAll(".md-diff .add"));
    }

    [Fact]
    public void ConflictOutcome_OffersToReloadAndReapply()
    {
        Client.NextOutcome = new ChangeOutcome(ChangeStatus.Conflict, "VirtualService bookinfo/reviews changed (resourceVersion 7 → 9).");
        var cut = Reviews();
        cut.Find(Of("even-split")).Click();
        ClickWhenEnabled(cut, "apply-weights");

        ApplyInDialog();

        var conflict = Providers.WaitForElement(Of("outcome-conflict"));
        Assert.Contains("Someone else changed", conflict.TextContent, StringComparison.Ordinal);
        Providers.Find(Of("outcome-reload")).Click();
        Providers.WaitForAssertion(() => Assert.Empty(Providers.FindAll(Of("outcome-conflict"))));
        Assert.Equal(2, Client.Previewed.Count);
    }

    [Fact]
    public void InvalidInput_IsShownAsFieldErrorsWithoutOpeningTheDialog()
    {
        Client.RejectPreviewWith = [new FieldError("weights.v3", "subset \"v3\" is not defined in a DestinationRule for this host")];
        var cut = Reviews();
        cut.Find(Of("even-split")).Click();

        ClickWhenEnabled(cut, "apply-weights");

        cut.WaitForAssertion(() => Assert.Contains("weights.v3", cut.Find(Of("field-errors")).TextContent, StringComparison.Ordinal));
        Assert.Empty(Providers.FindAll(Of("preview-apply")));
        Assert.Empty(Client.Applied);
    }

    [Fact]
    public void PreviewFailure_IsShownOnTheFormInsteadOfEndingTheCircuit()
    {
        Client.PreviewFailure = new HttpRequestException("connection refused (127.0.0.1:6443)");
        var cut = Reviews();
        cut.Find(Of("even-split")).Click();

        ClickWhenEnabled(cut, "apply-weights");

        cut.WaitForAssertion(() => Assert.Contains("connection refused", cut.Find(Of("field-errors")).TextContent, StringComparison.Ordinal));
        Assert.Empty(Providers.FindAll(Of("preview-apply")));
    }

    [Fact]
    public void CircuitBreaker_RejectsANegativeLimit()
    {
        var cut = Open("myapp", "myapp");

        Type(cut, "pool-max-connections", "-1");

        cut.WaitForAssertion(() => Assert.Contains("negative", cut.Find(Of("circuit-breaker")).TextContent, StringComparison.Ordinal));
        Assert.True(cut.Find(Of("apply-policy")).HasAttribute("disabled"));
    }

    [Fact]
    public void BlueGreen_ShowsHostsAndPreviewsTheSwitch()
    {
        var cut = Open("myapp", "myapp");

        Assert.Contains("v2", cut.Find(Of("bg-host-myapp.example.com")).TextContent, StringComparison.Ordinal);
        Assert.Contains("v1", cut.Find(Of("bg-host-test.myapp.example.com")).TextContent, StringComparison.Ordinal);
        cut.Find(Of("switch-to-v1")).Click();

        Providers.WaitForElement(Of("preview-apply"));
        Assert.Equal(new SwitchBlueGreen(DemoSnapshot.MyApp, "v1"), Client.Previewed.Last());
        Assert.Contains("v1", Providers.Find(Of("preview-summary")).TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void BlueGreen_AfterSwitchingOffersSwitchingBack()
    {
        var cut = Open("myapp", "myapp");
        cut.Find(Of("switch-to-v1")).Click();

        ApplyInDialog();

        cut.WaitForAssertion(() => Assert.Contains("Switch back to v2", cut.Find(Of("switch-to-v2")).TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void History_ListsEntriesAndRollbackPreviewsTheRestore()
    {
        Client.History.Add(new HistoryEntry("r2", DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), "alice", "reviews: weights v1 50%, v2 50%", "canary", [], false));
        Client.History.Add(new HistoryEntry("r1", DateTimeOffset.Parse("2026-11-24T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), "system", "baseline", null, [], true));
        var cut = Reviews();

        cut.WaitForAssertion(() => Assert.Contains("alice", cut.Find(Of("history-entry-0")).TextContent, StringComparison.Ordinal));
        Assert.Contains("baseline", cut.Find(Of("history-entry-1")).TextContent, StringComparison.Ordinal);

        cut.Find(Of("rollback")).Click();

        cut.WaitForAssertion(() => Assert.IsType<RestoreObjects>(Assert.Single(Client.Previewed)));
        Providers.WaitForElement(Of("preview-cancel")).Click();
    }

    [Fact]
    public void History_ExpandsADiffAndRestoresAnEntry()
    {
        var diff = new ObjectDiff(new(Mesh.Kubernetes.ResourceKind.VirtualService, "bookinfo", "reviews"), ObjectAction.Update,
            "spec:\n    weight: 100\n", "spec:\n    weight: 50\n", "--- a\n+++ b\n-    weight: 100\n+    weight: 50\n");
        Client.History.Add(new HistoryEntry("r2", DateTimeOffset.UnixEpoch, "alice", "reviews: weights v1 50%, v2 50%", null, [diff], false));
        var cut = Reviews();
        cut.WaitForElement(Of("history-entry-0"));
        Assert.Empty(cut.FindAll($"{Of("history-entry-0")} .md-diff"));

        cut.Find(Of("history-diff-toggle-0")).Click();
        Assert.Equal("    weight: 50", cut.Find($"{Of("history-entry-0")} .md-diff .add .md-diff-text").TextContent);
        cut.Find(Of("history-restore-0")).Click();

        cut.WaitForAssertion(() => Assert.EndsWith("to r2", Assert.IsType<RestoreObjects>(Assert.Single(Client.Previewed)).Summary, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ChangeStatus.Invalid, "not valid")]
    [InlineData(ChangeStatus.Forbidden, "may not make this change")]
    [InlineData(ChangeStatus.ReadOnly, "Another controller owns")]
    [InlineData(ChangeStatus.Unreachable, "could not be reached")]
    [InlineData(ChangeStatus.Failed, "refused the change")]
    public void FailedOutcome_IsExplainedInPlainWordsAndTheDialogStaysOpen(ChangeStatus status, string words)
    {
        Client.NextOutcome = new ChangeOutcome(status, "details from the cluster") { Errors = [new FieldError("weights", "they must total exactly 100")] };
        var cut = Reviews();
        cut.Find(Of("even-split")).Click();
        ClickWhenEnabled(cut, "apply-weights");

        ApplyInDialog();

        var outcome = Providers.WaitForElement(Of("outcome"));
        Assert.Contains(words, outcome.TextContent, StringComparison.Ordinal);
        Assert.Contains("details from the cluster", outcome.TextContent, StringComparison.Ordinal);
        if (status == ChangeStatus.Invalid)
        {
            Assert.Contains("they must total exactly 100", outcome.TextContent, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LiveChange_UnderAnOpenFormShowsTheNoticeAndKeepsTheEdits()
    {
        var cut = Reviews();
        Type(cut, "weight-input-v2", "30");

        Client.Publish(DemoSnapshot.Build(o =>
        {
            if ((string?)o["kind"] == "VirtualService" && (string?)o["metadata"]!["name"] == "reviews")
            {
                o["metadata"]!["resourceVersion"] = "2";
            }
            return o;
        }));

        cut.WaitForElement(Of("changed-since"));
        Assert.Equal("30", ValueOf(cut.Find(InputOf("weight-input-v2"))));
        cut.Find(Of("form-reload")).Click();

        // The watch loop renders from another thread; wait for the click's render rather than racing it.
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(Of("changed-since"))));
        Assert.Equal("0", ValueOf(cut.Find(InputOf("weight-input-v2"))));
    }

    [Fact]
    public void LiveChange_UnderAnOpenSplit_UpdatesTheNowFiguresAndKeepsTheProposal()
    {
        var cut = Reviews();
        Type(cut, "weight-input-v2", "30");
        Assert.Equal("now 100%", cut.Find(Of("now-v1")).TextContent.Trim());

        // Someone else splits everyone-else traffic 50/50 between v1 and v3.
        Client.Publish(DemoSnapshot.Build(o =>
        {
            if ((string?)o["kind"] == "VirtualService" && (string?)o["metadata"]!["name"] == "reviews")
            {
                o["metadata"]!["resourceVersion"] = "2";
                var catchAll = o["spec"]!["http"]!.AsArray().Last()!.AsObject();
                catchAll["route"] = JsonNode.Parse("""
                    [{"destination": {"host": "reviews", "subset": "v1"}, "weight": 50},
                     {"destination": {"host": "reviews", "subset": "v3"}, "weight": 50}]
                    """);
            }
            return o;
        }));

        cut.WaitForElement(Of("changed-since"));
        cut.WaitForAssertion(() => Assert.Equal("now 50%", cut.Find(Of("now-v3")).TextContent.Trim()));
        Assert.Equal("now 50%", cut.Find(Of("now-v1")).TextContent.Trim());
        var current = cut.Find(Of("current-split") + " [role='img']").GetAttribute("aria-label");
        Assert.Contains("v3 50%", current, StringComparison.Ordinal);
        // The person's proposal is untouched: v2 at 30, beside the new current state.
        Assert.Equal("30", ValueOf(cut.Find(InputOf("weight-input-v2"))));
        var proposed = cut.Find(Of("proposed-split") + " [role='img']").GetAttribute("aria-label");
        Assert.Contains("v2 30%", proposed, StringComparison.Ordinal);
    }

    [Fact]
    public void AServiceWithoutRouting_OpensTheTabItsAddressNames()
    {
        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        navigation.NavigateTo("/services/bookinfo/ratings?tab=simulate");
        var cut = Open("bookinfo", "ratings");

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(Of("simulator"))));
        Assert.Empty(cut.FindAll(Of("history")));
    }
}
