using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Mesh.Tests.Operations;

/// <summary>
/// RE2's grammar as istiod applies it (istio/istio pkg/config/validation/validation.go, validateStringRegexp: at most 1,024
/// bytes, then Go's regexp.Compile). Each case cites the fact of RE2's syntax page (github.com/google/re2/wiki/Syntax)
/// it follows; where Go and the C++ RE2 differ, istiod's Go decides.
/// </summary>
public class Re2Tests
{
    [Theory]
    [InlineData("^(alice|bob)[0-9]+$", "composites, classes, empty strings ^ $")]
    [InlineData("(?P<user>[a-z]+)-(?P<id>\\d+)", "(?P<name>re): named capturing group")]
    [InlineData("(?<user>[a-z]+)", "(?<name>re): named capturing group (Go 1.22+, RE2 2023+)")]
    [InlineData("\\pL+", "\\pN: Unicode class, one-letter name")]
    [InlineData("\\p{Greek}\\P{Han}\\PL\\p{^Latin}", "\\p{Greek}, \\P{Greek}, \\PN; ^ inside braces negates")]
    [InlineData("[\\p{Lu}\\d_]", "\\p{Foo} and \\d as class elements")]
    [InlineData("\\Q*.example.com\\E$", "\\Q...\\E: literal text even with punctuation")]
    [InlineData("\\Qno end", "\\Q runs to the end when there is no \\E")]
    [InlineData("(?i)tester", "(?flags): set flags within the current group")]
    [InlineData("(?i-s:a.b)c", "(?flags:re), flag syntax xy-z")]
    [InlineData("(?imsU)a", "flags i, m, s, U")]
    [InlineData("(?:ab)+?", "non-capturing group; +? prefers fewer")]
    [InlineData("a{2}b{2,}c{2,5}?", "x{n}, x{n,}, x{n,m}? repetitions")]
    [InlineData("a{1000}", "repeat counts up to 1000")]
    [InlineData("a{,5}", "{ that is no repetition is a literal")]
    [InlineData("a{01}", "a count with a leading zero is no repetition (Go), so a literal")]
    [InlineData("[[:alpha:]][[:^digit:]]", "[[:alpha:]] and [[:^alpha:]]: ASCII classes")]
    [InlineData("[]a]", "] first in a class is a literal")]
    [InlineData("[a-z-]", "- at the end of a class is a literal")]
    [InlineData("\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\", "\\*: literal for any punctuation character")]
    [InlineData("\\a\\f\\t\\n\\r\\v", "escape sequences \\a \\f \\t \\n \\r \\v")]
    [InlineData("\\x7F\\x{10FFFF}\\0\\123", "hex \\x7F, \\x{10FFFF}; octal up to three digits")]
    [InlineData("\\Aabc\\z\\bx\\B", "\\A, \\z, \\b, \\B")]
    [InlineData("(?i)", "flags alone")]
    [InlineData("日本語+", "UTF-8 text")]
    [InlineData("(?P<x>a)(?P<x>b)", "a name used twice: Go and RE2 (regexp.cc, leftmost counts) both accept it")]
    public void Check_AcceptsRe2Syntax(string pattern, string fact)
    {
        Assert.True(Re2.Check(pattern) is null, $"{pattern} ({fact}): {Re2.Check(pattern)}");
    }

    [Theory]
    [InlineData("(?=admin)", "lookaround", "(?=re): NOT SUPPORTED")]
    [InlineData("(?!admin).*", "lookaround", "(?!re): NOT SUPPORTED")]
    [InlineData("(?<=a)b", "lookaround", "(?<=re): NOT SUPPORTED")]
    [InlineData("(?<!a)b", "lookaround", "(?<!re): NOT SUPPORTED")]
    [InlineData("(a)\\1", "backreference", "\\1: backreference NOT SUPPORTED")]
    [InlineData("(?P<x>a)\\k<x>", "backreference", "\\k<name>: NOT SUPPORTED")]
    [InlineData("(a)\\g1", "backreference", "\\g1: NOT SUPPORTED")]
    [InlineData("a*+", "possessive", "x*+: possessive NOT SUPPORTED")]
    [InlineData("a++", "possessive", "x++: possessive NOT SUPPORTED")]
    [InlineData("a{2}+", "possessive", "x{n}+: possessive NOT SUPPORTED")]
    [InlineData("(?>abc)", "atomic", "(?>re): NOT SUPPORTED")]
    [InlineData("(?(1)a|b)", "conditionals", "conditionals are not in RE2")]
    [InlineData("(?'name'a)", "does not compile", "(?'name're): NOT SUPPORTED")]
    [InlineData("(?#note)a", "does not compile", "(?#text): NOT SUPPORTED")]
    [InlineData("(?|a|b)", "does not compile", "(?|x|y|z): NOT SUPPORTED")]
    [InlineData("a\\Z", "does not compile", "\\Z: NOT SUPPORTED")]
    [InlineData("\\C", "does not compile", "\\C is RE2's but Go (istiod) refuses it")]
    [InlineData("\\e", "does not compile", "\\e: NOT SUPPORTED")]
    [InlineData("\\R", "does not compile", "\\R: NOT SUPPORTED")]
    [InlineData("\\X", "does not compile", "\\X: NOT SUPPORTED")]
    [InlineData("\\h", "does not compile", "\\h: NOT SUPPORTED")]
    [InlineData("\\N{DIGIT ONE}", "does not compile", "\\N{name}: NOT SUPPORTED")]
    [InlineData("\\p{Cn}", "does not compile", "Cn: NOT SUPPORTED")]
    [InlineData("\\p{LC}", "does not compile", "LC: NOT SUPPORTED")]
    [InlineData("\\p{greek}", "does not compile", "class names are case-sensitive")]
    [InlineData("[[:foo:]]", "does not compile", "only the listed ASCII classes")]
    [InlineData("[z-a]", "does not compile", "A-Z: a range is inclusive and in order")]
    [InlineData("[a-\\d]", "does not compile", "a range ends in a character")]
    [InlineData("[\\b]", "does not compile", "\\b: backspace NOT SUPPORTED (use \\010)")]
    [InlineData("([a-z", "does not compile", "unclosed class and group")]
    [InlineData("(ab", "does not compile", "unclosed group")]
    [InlineData("ab)", "does not compile", "unopened group")]
    [InlineData("*a", "does not compile", "a repetition needs something to repeat")]
    [InlineData("a|*b", "does not compile", "a repetition needs something to repeat")]
    [InlineData("a**", "does not compile", "a repetition of a repetition")]
    [InlineData("a{1001}", "does not compile", "repeat counts are at most 1000")]
    [InlineData("a{5,2}", "does not compile", "x{n,m} with n <= m")]
    [InlineData("(a{100}){20}", "does not compile", "nested repeat counts multiply to at most 1000 (Go's repeatIsValid)")]
    [InlineData("(?P<>a)", "does not compile", "a group name is not empty")]
    [InlineData("(?i-)a", "does not compile", "flag syntax: - needs a flag after it")]
    [InlineData("(?x)a", "does not compile", "flags are i, m, s, U")]
    [InlineData("\\x{110000}", "does not compile", "\\x{10FFFF} is the largest code point")]
    [InlineData("\\8", "backreference", "\\8 is no octal digit")]
    [InlineData("a\\", "does not compile", "a trailing backslash escapes nothing")]
    [InlineData("\\é", "does not compile", "only ASCII punctuation can be escaped")]
    public void Check_RefusesWhatRe2Lacks(string pattern, string messagePart, string fact)
    {
        var problem = Re2.Check(pattern);

        Assert.True(problem is not null, $"{pattern} was accepted ({fact})");
        Assert.Contains(messagePart, problem, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Check_RefusesMoreThan1024Bytes()
    {
        // istiod: len(re) > 1024 is "regex is too large"; Go's len counts UTF-8 bytes.
        Assert.Null(Re2.Check(new string('a', 1024)));
        Assert.Contains("1,024", Re2.Check(new string('a', 1025)), StringComparison.Ordinal);
        Assert.NotNull(Re2.Check(new string('é', 513)));
    }
}
