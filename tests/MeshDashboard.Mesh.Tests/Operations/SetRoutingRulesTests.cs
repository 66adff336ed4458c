using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Operations;

public class SetRoutingRulesTests
{
    private static Dictionary<string, int> W(params (string Subset, int Weight)[] weights) => weights.ToDictionary(w => w.Subset, w => w.Weight);

    private static MatchCondition Header(string name, string value, MatchKind kind = MatchKind.Exact) => new(ConditionKind.Header, name, kind, value);

    private static RoutingRule Rule(string name, string subset, params MatchCondition[] conditions) => new(name, conditions, W((subset, 100)));

    private static SetRoutingRules Op(params RoutingRule[] rules) => new(Reviews, rules, W(("v1", 100)));

    [Fact]
    public void SetRoutingRules_PutsAllConditionsOfARuleInOneMatchEntry()
    {
        var rule = Rule("beta", "v3",
            Header("end-user", "jason"),
            new MatchCondition(ConditionKind.Uri, null, MatchKind.Prefix, "/api"),
            new MatchCondition(ConditionKind.Method, null, MatchKind.Exact, "GET"),
            new MatchCondition(ConditionKind.QueryParam, "debug", MatchKind.Exact, "1"),
            new MatchCondition(ConditionKind.WithoutHeader, "x-canary-off", MatchKind.Present, ""));

        var change = Op(rule).Plan(Bookinfo(vs: null)).Single();

        var written = change.After.At("spec.http[0]")!;
        var match = Assert.Single(written["match"]!.AsArray());
        var expected = JsonNode.Parse("""
            {"headers": {"end-user": {"exact": "jason"}}, "uri": {"prefix": "/api"}, "method": {"exact": "GET"},
             "queryParams": {"debug": {"exact": "1"}}, "withoutHeaders": {"x-canary-off": {}}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, match), match.Json());

        // Read back, the conditions are ANDed in one entry, not ORed across entries.
        var view = VirtualServiceView.From(change.Applied());
        Assert.Equal("end-user: jason and not x-canary-off present and ?debug: 1 and uri starts with /api and method: GET", view.Http[0].Matches.Single().Describe());
    }

    [Fact]
    public void SetRoutingRules_WritesRulesInOrderBeforeTheFallback()
    {
        var change = Op(Rule("tester", "v2", Header("end-user", "tester")), Rule("jason", "v3", Header("end-user", "jason")))
            .Plan(Bookinfo()).Single();

        var names = change.After.At("spec.http")!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["tester", "jason", "legacy", "default"], names);
        Assert.Equal("v3", change.After.At("spec.http[1].route[0].destination.subset")!.GetValue<string>());
    }

    [Fact]
    public void SetRoutingRules_KeepsUnmodelledFieldsOfRulesMatchedByName()
    {
        var snapshot = Bookinfo();
        var before = snapshot.Find(ResourceKind.VirtualService, "bookinfo", "reviews")!.Raw;

        var change = Op(Rule("tester", "v3", Header("end-user", "qa", MatchKind.Prefix))).Plan(snapshot).Single();

        var tester = change.After.At("spec.http[0]")!;
        Assert.Equal(before.At("spec.http[0].fault").Json(), tester["fault"].Json());
        Assert.Equal(before.At("spec.http[0].mirror").Json(), tester["mirror"].Json());
        Assert.Equal("""[{"headers":{"end-user":{"prefix":"qa"}}}]""", tester["match"].Json());
        foreach (var field in new[] { "retries", "timeout", "corsPolicy", "headers" })
        {
            Assert.Equal(before.At($"spec.http[2].{field}").Json(), change.After.At($"spec.http[2].{field}").Json());
        }
        Assert.Equal(9080, change.After.At("spec.http[2].route[0].destination.port.number")!.GetValue<int>());
        Assert.Equal("[\".\"]", change.After.At("spec.exportTo").Json());
        Assert.Equal("keep me", change.After.At("metadata.annotations.note")!.GetValue<string>());
    }

    [Fact]
    public void SetRoutingRules_KeepsRedirectRulesAndDropsHeaderRulesNoLongerListed()
    {
        var change = Op(Rule("jason", "v3", Header("end-user", "jason"))).Plan(Bookinfo()).Single();

        var http = change.After.At("spec.http")!.AsArray();
        Assert.Equal(["jason", "legacy", "default"], http.Select(r => r!["name"]!.GetValue<string>()));
        Assert.Equal("/new", http[1].At("redirect.uri")!.GetValue<string>());
    }

    [Fact]
    public void SetRoutingRules_KeepsRulesWithConditionsItDoesNotModelInPlace()
    {
        var vs = """
            {"hosts": ["reviews"], "http": [
              {"name": "from-frontend", "match": [{"sourceLabels": {"app": "frontend"}}], "route": [{"destination": {"host": "reviews", "subset": "v3"}}]},
              {"name": "old", "match": [{"headers": {"x": {"exact": "y"}}}], "route": [{"destination": {"host": "reviews", "subset": "v2"}}]},
              {"name": "delegated", "match": [{"uri": {"prefix": "/d"}}], "delegate": {"name": "other"}},
              {"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}
            """;

        var change = Op(Rule("tester", "v2", Header("end-user", "tester"))).Plan(Bookinfo(vs)).Single();

        var http = change.After.At("spec.http")!.AsArray();
        Assert.Equal(["from-frontend", "tester", "delegated", "default"], http.Select(r => r!["name"]?.GetValue<string>() ?? "default"));
        Assert.Null(http[3]!["name"]);
    }

    [Fact]
    public void SetRoutingRules_WritesTheFallbackWeights()
    {
        var change = new SetRoutingRules(Reviews, [Rule("tester", "v2", Header("end-user", "tester"))], W(("v1", 90), ("v3", 10))).Plan(Bookinfo()).Single();

        var route = change.After.At("spec.http[2].route")!.AsArray();
        Assert.Equal(2, route.Count);
        Assert.Equal(90, route[0]!["weight"]!.GetValue<int>());
        Assert.Equal("default", route[0].At("headers.request.set.x-route")!.GetValue<string>());
        Assert.Equal("v3", route[1].At("destination.subset")!.GetValue<string>());
    }

    [Fact]
    public void SetRoutingRules_CreatesTheVirtualServiceWhenThereIsNone()
    {
        var plan = Op(Rule("tester", "v2", Header("end-user", "tester"))).Plan(Bookinfo(vs: null));

        var change = plan.Single();
        Assert.Null(change.Before);
        var expected = JsonNode.Parse("""
            {"hosts": ["reviews"], "http": [
              {"name": "tester", "match": [{"headers": {"end-user": {"exact": "tester"}}}], "route": [{"destination": {"host": "reviews", "subset": "v2"}}]},
              {"name": "default", "route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}
            """);
        Assert.True(JsonNode.DeepEquals(expected, change.After!["spec"]), change.After!["spec"].Json());
        Assert.Equal("reviews: tester → all to v2; everyone else → all to v1", plan.Summary);
    }

    [Fact]
    public void SetRoutingRules_WithNoRulesLeavesOnlyTheFallbackAndUnmodelledRules()
    {
        var change = Op().Plan(Bookinfo()).Single();

        Assert.Equal(["legacy", "default"], change.After.At("spec.http")!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void SetRoutingRules_SameRulesAgainChangesNothing()
    {
        var plan = Op(Rule("tester", "v2", Header("end-user", "tester"))).Plan(Bookinfo());

        Assert.Empty(plan.Changes);
    }

    [Fact]
    public void SetRoutingRules_RequiresARuleName()
    {
        FailsOn(Op(Rule("", "v2", Header("end-user", "x"))), Bookinfo(), "rules[0].name", "needs a name");
    }

    [Fact]
    public void SetRoutingRules_RequiresDnsLabelNames()
    {
        FailsOn(Op(Rule("Bad Name", "v2", Header("end-user", "x"))), Bookinfo(), "rules[0].name", "not a valid rule name");
    }

    [Fact]
    public void SetRoutingRules_RequiresUniqueNames()
    {
        FailsOn(Op(Rule("a", "v2", Header("end-user", "x")), Rule("a", "v3", Header("end-user", "y"))), Bookinfo(), "rules[1].name", "more than one");
    }

    [Fact]
    public void SetRoutingRules_RejectsTheFallbackRuleName()
    {
        FailsOn(Op(Rule("default", "v2", Header("end-user", "x"))), Bookinfo(), "rules[0].name", "fallback");
    }

    [Fact]
    public void SetRoutingRules_RequiresAtLeastOneCondition()
    {
        FailsOn(Op(Rule("a", "v2")), Bookinfo(), "rules[0].conditions", "at least one condition");
    }

    /// <summary>
    /// istio/istio pkg/config/validation/validation.go, ValidateHTTPHeaderNameOrJwtClaimRoute: a token in any case is valid
    /// (the analyzer's MD018 warns about uppercase instead), as are pseudo-headers and JWT claim routes.
    /// </summary>
    [Theory]
    [InlineData("End-User")]
    [InlineData(":authority")]
    [InlineData("@request.auth.claims.groups")]
    [InlineData("@request.auth.claims[nested][key]")]
    public void SetRoutingRules_AcceptsHeaderNamesIstiodAccepts(string name)
    {
        var change = Op(Rule("a", "v2", Header(name, "x"))).Plan(Bookinfo()).Single();

        Assert.Equal("x", change.After!["spec"]!["http"]![0]!["match"]![0]!["headers"]![name]!["exact"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("😀")]
    [InlineData("end user")]
    [InlineData("x:y")]
    [InlineData(":foo")]
    [InlineData("@request.auth.claims")]
    [InlineData("@request.auth.claims.")]
    public void SetRoutingRules_RefusesHeaderNamesThatAreNotTokens(string name)
    {
        FailsOn(Op(Rule("a", "v2", Header(name, "x"))), Bookinfo(), "rules[0].conditions[0].name", "not a valid header name");
    }

    [Theory]
    [InlineData(MatchKind.Exact, "tester\r\nx-admin: 1")]
    [InlineData(MatchKind.Prefix, "a\0")]
    public void SetRoutingRules_RefusesHeaderValuesWithControlCharacters(MatchKind kind, string value)
    {
        FailsOn(Op(Rule("a", "v2", Header("end-user", value, kind))), Bookinfo(), "rules[0].conditions[0].value", "control character");
    }

    [Fact]
    public void SetRoutingRules_RefusesControlCharactersInOrConditionsToo()
    {
        var rule = Rule("a", "v2", Header("end-user", "x")) with { OrConditions = [[new MatchCondition(ConditionKind.WithoutHeader, "x-off", MatchKind.Exact, "1\n")]] };

        FailsOn(new SetRoutingRules(Reviews, [rule], W(("v1", 100))), Bookinfo(), "rules[0].orConditions[0][0].value", "control character");
    }

    [Fact]
    public void SetRoutingRules_AcceptsTokenMarksInHeaderNames()
    {
        var change = Op(Rule("a", "v2", Header("x-b3_span.id~1", "tab\tvalue"))).Plan(Bookinfo()).Single();

        var headers = change.After.At("spec.http[0].match[0].headers")!;
        Assert.Equal("tab\tvalue", headers["x-b3_span.id~1"]!["exact"]!.GetValue<string>());
    }

    [Fact]
    public void SetRoutingRules_RequiresAHeaderName()
    {
        FailsOn(Op(Rule("a", "v2", Header("", "x"))), Bookinfo(), "rules[0].conditions[0].name", "header name is required");
    }

    [Fact]
    public void SetRoutingRules_RejectsLookaroundInRegex()
    {
        FailsOn(Op(Rule("a", "v2", Header("end-user", "(?!admin).*", MatchKind.Regex))), Bookinfo(), "rules[0].conditions[0].value", "lookaround");
    }

    [Fact]
    public void SetRoutingRules_RejectsBackreferencesInRegex()
    {
        FailsOn(Op(Rule("a", "v2", Header("end-user", "(a)\\1", MatchKind.Regex))), Bookinfo(), "rules[0].conditions[0].value", "backreference");
    }

    [Fact]
    public void SetRoutingRules_RejectsARegexThatDoesNotCompile()
    {
        FailsOn(Op(Rule("a", "v2", Header("end-user", "([a-z", MatchKind.Regex))), Bookinfo(), "rules[0].conditions[0].value", "does not compile");
    }

    /// <summary>RE2 syntax that .NET's parser refused: (?P&lt;name&gt;…), \pL and \Q…\E (github.com/google/re2/wiki/Syntax).</summary>
    [Theory]
    [InlineData("(?P<user>[a-z]+)")]
    [InlineData("\\pL+")]
    [InlineData("\\Q*.beta\\E")]
    public void SetRoutingRules_AcceptsRe2SyntaxDotNetLacks(string pattern)
    {
        var change = Op(Rule("a", "v2", Header("end-user", pattern, MatchKind.Regex))).Plan(Bookinfo(vs: null)).Single();

        Assert.Equal(pattern, change.After.At("spec.http[0].match[0].headers.end-user.regex")!.GetValue<string>());
    }

    /// <summary>istio/istio virtualservice.go, validateHTTPRouteMatchRequest: a withoutHeaders regex "*" is no RE2, it means "present".</summary>
    [Fact]
    public void SetRoutingRules_AcceptsTheWildcardRegexOnlyInWithoutHeaders()
    {
        var rule = Rule("a", "v2", Header("end-user", "x"), new MatchCondition(ConditionKind.WithoutHeader, "x-canary-off", MatchKind.Regex, "*"));

        var change = Op(rule).Plan(Bookinfo()).Single();

        Assert.Equal("*", change.After.At("spec.http[0].match[0].withoutHeaders.x-canary-off.regex")!.GetValue<string>());
        FailsOn(Op(Rule("a", "v2", Header("end-user", "*", MatchKind.Regex))), Bookinfo(), "rules[0].conditions[0].value", "repeats nothing");
    }

    [Fact]
    public void SetRoutingRules_RefusesARegexOver1024Bytes()
    {
        FailsOn(Op(Rule("a", "v2", Header("end-user", new string('a', 1025), MatchKind.Regex))), Bookinfo(), "rules[0].conditions[0].value", "1,024");
    }

    [Fact]
    public void SetRoutingRules_AcceptsAnRe2Regex()
    {
        var change = Op(Rule("a", "v2", Header("end-user", "^(alice|bob)[0-9]+$", MatchKind.Regex))).Plan(Bookinfo(vs: null)).Single();

        Assert.Equal("^(alice|bob)[0-9]+$", change.After.At("spec.http[0].match[0].headers.end-user.regex")!.GetValue<string>());
    }

    [Fact]
    public void SetRoutingRules_AllowsPresentOnlyForHeaders()
    {
        FailsOn(Op(Rule("a", "v2", new MatchCondition(ConditionKind.Uri, null, MatchKind.Present, ""))), Bookinfo(), "rules[0].conditions[0].match", "only to headers");
        FailsOn(Op(Rule("a", "v2", new MatchCondition(ConditionKind.QueryParam, "q", MatchKind.Present, ""))), Bookinfo(), "rules[0].conditions[0].match", "only to headers");
    }

    [Fact]
    public void SetRoutingRules_WritesPresentHeadersAsAnEmptyMatch()
    {
        var change = Op(Rule("a", "v2", Header("x-debug", "", MatchKind.Present))).Plan(Bookinfo(vs: null)).Single();

        Assert.Equal("{}", change.After.At("spec.http[0].match[0].headers.x-debug").Json());
    }

    [Fact]
    public void SetRoutingRules_RequiresValuesForUriMethodAndQuery()
    {
        FailsOn(Op(Rule("a", "v2", new MatchCondition(ConditionKind.Uri, null, MatchKind.Prefix, ""))), Bookinfo(), "rules[0].conditions[0].value", "needs a value");
        FailsOn(Op(Rule("a", "v2", new MatchCondition(ConditionKind.Method, null, MatchKind.Exact, ""))), Bookinfo(), "rules[0].conditions[0].value", "needs a value");
        FailsOn(Op(Rule("a", "v2", new MatchCondition(ConditionKind.QueryParam, "q", MatchKind.Exact, ""))), Bookinfo(), "rules[0].conditions[0].value", "needs a value");
    }

    [Fact]
    public void SetRoutingRules_RejectsTwoUriConditionsInOneRule()
    {
        FailsOn(Op(Rule("a", "v2", new MatchCondition(ConditionKind.Uri, null, MatchKind.Prefix, "/a"), new MatchCondition(ConditionKind.Uri, null, MatchKind.Prefix, "/b"))),
            Bookinfo(), "rules[0].conditions[1]", "only once");
    }

    [Fact]
    public void SetRoutingRules_ValidatesTargetsLikeWeights()
    {
        FailsOn(new SetRoutingRules(Reviews, [new RoutingRule("a", [Header("end-user", "x")], W(("v2", 60), ("v9", 30)))], W(("v1", 100))),
            Bookinfo(), "rules[0].targets.v9", "not defined");
        FailsOn(new SetRoutingRules(Reviews, [new RoutingRule("a", [Header("end-user", "x")], W(("v2", 60), ("v3", 30)))], W(("v1", 100))),
            Bookinfo(), "rules[0].targets", "total 90");
    }

    [Fact]
    public void SetRoutingRules_ValidatesTheFallback()
    {
        FailsOn(new SetRoutingRules(Reviews, [], W(("v1", 50))), Bookinfo(), "fallback", "total 50");
    }

    private const string OrRuleVs = """
        {
          "hosts": ["reviews"],
          "http": [
            {
              "name": "beta",
              "match": [{"headers": {"end-user": {"exact": "jason"}}}, {"name": "by-cookie", "headers": {"cookie": {"regex": ".*beta=1.*"}}}],
              "retries": {"attempts": 2},
              "route": [{"destination": {"host": "reviews", "subset": "v3"}}]
            },
            {"name": "default", "route": [{"destination": {"host": "reviews", "subset": "v1"}}]}
          ]
        }
        """;

    [Fact]
    public void SetRoutingRules_WritesEachOrSetAsItsOwnMatchEntryAndKeepsEntryNamesAndRuleFields()
    {
        var rule = Rule("beta", "v2", Header("end-user", "jason")) with
        {
            OrConditions = [[Header("cookie", ".*beta=2.*", MatchKind.Regex)], [Header("x-beta", "", MatchKind.Present)]],
        };

        var change = new SetRoutingRules(Reviews, [rule], W(("v1", 100))).Plan(Bookinfo(vs: OrRuleVs)).Single();

        var written = change.After.At("spec.http[0]")!;
        var expected = JsonNode.Parse("""
            [{"headers": {"end-user": {"exact": "jason"}}},
             {"name": "by-cookie", "headers": {"cookie": {"regex": ".*beta=2.*"}}},
             {"headers": {"x-beta": {}}}]
            """);
        Assert.True(JsonNode.DeepEquals(expected, written["match"]), written["match"].Json());
        Assert.Equal("""{"attempts":2}""", written["retries"].Json());
        Assert.Equal("v2", written.At("route[0].destination.subset")!.GetValue<string>());
        Assert.Equal(3, VirtualServiceView.From(change.Applied()).Http[0].Matches.Length);
    }

    [Fact]
    public void SetRoutingRules_RefusesAnEmptyOrSetNamingIt()
    {
        var rule = Rule("beta", "v2", Header("end-user", "jason")) with { OrConditions = [[]] };

        FailsOn(new SetRoutingRules(Reviews, [rule], W(("v1", 100))), Bookinfo(), "rules[0].orConditions[0]", "would match every request");
    }

    [Fact]
    public void SetRoutingRules_ValidatesConditionsInsideOrSetsByTheirPath()
    {
        var rule = Rule("beta", "v2", Header("end-user", "jason")) with { OrConditions = [[Header("end user", "x")]] };

        FailsOn(new SetRoutingRules(Reviews, [rule], W(("v1", 100))), Bookinfo(), "rules[0].orConditions[0][0].name", "not a valid header name");
    }

    private const string UnnamedRulesVs = """
        {
          "hosts": ["reviews"],
          "http": [
            {
              "match": [{"headers": {"end-user": {"exact": "jason"}}}],
              "retries": {"attempts": 2, "perTryTimeout": "1s"},
              "fault": {"delay": {"percentage": {"value": 10}, "fixedDelay": "2s"}},
              "route": [{"destination": {"host": "reviews", "subset": "v2"}}]
            },
            {"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}
          ]
        }
        """;

    private static RuleOrigin OriginOf(MeshSnapshot snapshot, int index) =>
        new(index, VirtualServiceView.From(snapshot.Find(ResourceKind.VirtualService, "bookinfo", "reviews")!).Http[index].Fingerprint);

    [Fact]
    public void SetRoutingRules_AnUnnamedRuleEditedFromItsOriginKeepsItsOtherFields()
    {
        var snapshot = Bookinfo(vs: UnnamedRulesVs);
        var rule = Rule("rule-1", "v3", Header("end-user", "jason")) with { Origin = OriginOf(snapshot, 0) };

        var change = Op(rule).Plan(snapshot).Single();

        var http = change.After.At("spec.http")!.AsArray();
        Assert.Equal(2, http.Count);
        Assert.Equal("rule-1", (string?)http[0]!["name"]);
        Assert.Equal("""{"attempts":2,"perTryTimeout":"1s"}""", http[0]!["retries"].Json());
        Assert.Equal("2s", (string?)http[0]!.At("fault.delay.fixedDelay"));
        Assert.Equal("v3", (string?)http[0]!.At("route[0].destination.subset"));
    }

    [Fact]
    public void SetRoutingRules_ARenamedRuleKeepsItsFault()
    {
        var snapshot = Bookinfo();
        var rule = Rule("qa", "v2", Header("end-user", "tester")) with { Origin = OriginOf(snapshot, 0) };

        var change = Op(rule).Plan(snapshot).Single();

        var http = change.After.At("spec.http")!.AsArray();
        Assert.Equal("qa", (string?)http[0]!["name"]);
        Assert.Equal(503, (int?)http[0]!.At("fault.abort.httpStatus"));
        Assert.DoesNotContain(http, r => (string?)r!["name"] == "tester");
    }

    [Fact]
    public void SetRoutingRules_RefusesAnOriginWhoseRuleChangedSinceItWasRead()
    {
        var read = Bookinfo(vs: UnnamedRulesVs);
        var rule = Rule("rule-1", "v3", Header("end-user", "jason")) with { Origin = OriginOf(read, 0) };
        var changed = Bookinfo(vs: UnnamedRulesVs.Replace("\"attempts\": 2", "\"attempts\": 5", StringComparison.Ordinal));

        var error = Assert.Throws<OperationException>(() => Op(rule).Plan(changed));

        Assert.True(error.IsConflict);
        var stale = Assert.Single(error.Errors);
        Assert.Equal("rules[0].origin", stale.Field);
        Assert.Contains("changed since it was read", stale.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetRoutingRules_AnOriginPastTheLastRuleIsAConflict()
    {
        var rule = Rule("rule-1", "v3", Header("end-user", "jason")) with { Origin = new RuleOrigin(7, "0123456789abcdef") };

        var error = Assert.Throws<OperationException>(() => Op(rule).Plan(Bookinfo(vs: UnnamedRulesVs)));

        Assert.True(error.IsConflict);
        Assert.Equal("rules[0].origin", Assert.Single(error.Errors).Field);
    }

    [Fact]
    public void SetRoutingRules_RefusesAnOriginAtTheCatchAll_WhichTheFallbackSets()
    {
        var snapshot = Bookinfo(vs: UnnamedRulesVs);
        var rule = Rule("rule-2", "v3", Header("end-user", "jason")) with { Origin = OriginOf(snapshot, 1) };

        var error = Assert.Throws<OperationException>(() => Op(rule).Plan(snapshot));

        Assert.False(error.IsConflict);
        FailsOn(Op(rule), snapshot, "rules[0].origin", "catch-all");
    }

    [Fact]
    public void SetRoutingRules_RefusesTwoRulesWithTheSameOrigin()
    {
        var snapshot = Bookinfo(vs: UnnamedRulesVs);
        var first = Rule("rule-1", "v3", Header("end-user", "jason")) with { Origin = OriginOf(snapshot, 0) };
        var second = Rule("rule-9", "v2", Header("end-user", "tester")) with { Origin = OriginOf(snapshot, 0) };

        FailsOn(Op(first, second), snapshot, "rules[1].origin", "already edited by rules[0]");
    }

    [Fact]
    public void SetRoutingRules_RefusesANegativeOriginIndex()
    {
        var rule = Rule("rule-1", "v3", Header("end-user", "jason")) with { Origin = new RuleOrigin(-1, "0123456789abcdef") };

        FailsOn(Op(rule), Bookinfo(vs: UnnamedRulesVs), "rules[0].origin.index", "0 or more");
    }

    [Fact]
    public void SetRoutingRules_AnInvalidInputIsReportedBeforeAStaleOrigin()
    {
        var read = Bookinfo(vs: UnnamedRulesVs);
        var rule = Rule("Rule 1", "v3", Header("end-user", "jason")) with { Origin = OriginOf(read, 0) };
        var changed = Bookinfo(vs: UnnamedRulesVs.Replace("\"attempts\": 2", "\"attempts\": 5", StringComparison.Ordinal));

        var error = Assert.Throws<OperationException>(() => Op(rule).Plan(changed));

        Assert.False(error.IsConflict);
        Assert.Equal("rules[0].name", Assert.Single(error.Errors).Field);
    }
}
