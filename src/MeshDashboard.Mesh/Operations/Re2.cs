using System.Globalization;
using System.Text;

namespace MeshDashboard.Mesh.Operations;

/// <summary>
/// Checks a regular expression the way istiod does before Envoy's RE2 engine sees it, with RE2's grammar rather than
/// .NET's (which accepts lookaround and backreferences and refuses <c>(?P&lt;name&gt;…)</c>, <c>\pL</c> and <c>\Q…\E</c>).
/// istiod (istio/istio pkg/config/validation/validation.go, <c>validateStringRegexp</c>) refuses a pattern over 1,024
/// bytes and one Go's <c>regexp.Compile</c> refuses; Go's parser implements RE2's syntax
/// (github.com/google/re2/wiki/Syntax), so this scanner follows that page. Where Go and the C++ RE2 that Envoy runs
/// differ, istiod decides: <c>\C</c> (any byte) is refused, as Go refuses it. A group name may be used twice (both
/// accept it; the leftmost counts). Cross-checked against Go 1.19's <c>regexp.Compile</c> (which predates
/// <c>(?&lt;name&gt;</c>, Go 1.22) on the table of Re2Tests and over 100,000 generated patterns. What is checked:
/// <list type="bullet">
/// <item>groups: <c>(re)</c>, <c>(?:re)</c>, <c>(?P&lt;name&gt;re)</c>, <c>(?&lt;name&gt;re)</c> (word-character names), flags
/// <c>(?imsU-imsU)</c> and <c>(?flags:re)</c>; lookaround, atomic groups, comments, conditionals, branch
/// resets and <c>(?'name'…)</c> are refused;</item>
/// <item>repetition: <c>* + ?</c> and <c>{n}</c>, <c>{n,}</c>, <c>{n,m}</c> (n, m ≤ 1000, n ≤ m; nested counts multiply to at
/// most 1000), each optionally followed by <c>?</c>; a repetition of nothing, or of a repetition (so possessive
/// <c>*+</c>), is refused; a <c>{</c> that is no repetition is a literal;</item>
/// <item>escapes: <c>\a \f \t \n \r \v</c>, octal <c>\0</c>, <c>\123</c>, hex <c>\x7F</c>, <c>\x{10FFFF}</c>, <c>\d \s \w</c> and
/// negations, <c>\pN</c>, <c>\p{Name}</c>, <c>\p{^Name}</c>, <c>\PN</c> (general categories, scripts, <c>Any</c>),
/// <c>\A \z \b \B</c>, <c>\Q…\E</c>, and any escaped ASCII punctuation; backreferences and every other letter are refused;</item>
/// <item>classes: <c>[…]</c>, <c>[^…]</c>, ranges in order, <c>[:alpha:]</c>-style ASCII classes, Perl and Unicode classes inside.</item>
/// </list>
/// </summary>
public static class Re2
{
    /// <summary>istiod's limit, in bytes of UTF-8 (Go's <c>len</c>).</summary>
    public const int MaxLength = 1024;

    /// <summary>Go's <c>regexp/syntax</c> limits: repeat counts, and how deep groups nest.</summary>
    private const int MaxRepeat = 1000;

    private const int MaxDepth = 1000;

    /// <summary>Null when the pattern is fine, else why not.</summary>
    public static string? Check(string pattern)
    {
        var bytes = Encoding.UTF8.GetByteCount(pattern);
        if (bytes > MaxLength)
        {
            return $"a regex is at most {MaxLength.ToString("N0", CultureInfo.InvariantCulture)} bytes in Istio; this one has {bytes.ToString("N0", CultureInfo.InvariantCulture)}";
        }
        return new Scanner(pattern).Run();
    }

    private static string Invalid(string reason) => "not a valid RE2 regular expression (it does not compile): " + reason;

    /// <summary>RE2's one- and two-letter Unicode general categories (Cn, LC and L&amp; are not supported).</summary>
    private static readonly HashSet<string> Categories =
    [
        "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl", "No",
        "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs",
    ];

    /// <summary>The Unicode script names RE2 knows (its syntax page's list), plus <c>Any</c>.</summary>
    private static readonly HashSet<string> Scripts =
    [
        .. """
        Any Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali Bhaiksuki
        Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian Chakma Cham Cherokee Chorasmian
        Common Coptic Cuneiform Cypriot Cypro_Minoan Cyrillic Deseret Devanagari Dives_Akuru Dogra Duployan
        Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi
        Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic Inherited Inscriptional_Pahlavi
        Inscriptional_Parthian Javanese Kaithi Kannada Katakana Kawi Kayah_Li Kharoshthi Khitan_Small_Script Khmer Khojki
        Khudawadi Lao Latin Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian Mahajani Makasar Malayalam Mandaic Manichaean
        Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi
        Mongolian Mro Multani Myanmar Nabataean Nag_Mundari Nandinagari New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong
        Ogham Ol_Chiki Old_Hungarian Old_Italic Old_North_Arabian Old_Permic Old_Persian Old_Sogdian Old_South_Arabian
        Old_Turkic Old_Uyghur Oriya Osage Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi
        Rejang Runic Samaritan Saurashtra Sharada Shavian Siddham SignWriting Sinhala Sogdian Sora_Sompeng Soyombo Sundanese
        Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil Tangsa Tangut Telugu Thaana Thai Tibetan
        Tifinagh Tirhuta Toto Ugaritic Vai Vithkuqi Wancho Warang_Citi Yezidi Yi Zanabazar_Square
        """.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
    ];

    private static readonly HashSet<string> AsciiClasses =
        ["alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "word", "xdigit"];

    private sealed class InvalidPattern(string message) : Exception(message);

    /// <summary>One pass over the pattern; throws <see cref="InvalidPattern"/> at the first thing RE2 (as Go parses it) refuses.</summary>
    private sealed class Scanner(string pattern)
    {
        private readonly string _p = pattern;
        private int _i;

        /// <summary>Per open group: the largest product of nested repeat counts inside it so far.</summary>
        private readonly Stack<int> _groupWeights = new();

        /// <summary>The operand a repetition would apply to, and its nested repeat weight; null after nothing, ( or |.</summary>
        private int? _operandWeight;

        /// <summary>The weight across the current group's alternatives so far.</summary>
        private int _weight = 1;

        /// <summary>True right after a repetition operator: another one would be nested (or possessive).</summary>
        private bool _afterRepeat;

        public string? Run()
        {
            try
            {
                while (_i < _p.Length)
                {
                    Step();
                }
                if (_groupWeights.Count > 0)
                {
                    throw new InvalidPattern(Invalid("missing closing )"));
                }
                return null;
            }
            catch (InvalidPattern e)
            {
                return e.Message;
            }
        }

        private bool At(string text) => string.CompareOrdinal(_p, _i, text, 0, text.Length) == 0;

        private void Operand(int weight = 1)
        {
            _operandWeight = weight;
            _weight = Math.Max(_weight, weight);
            _afterRepeat = false;
        }

        private void Step()
        {
            var c = _p[_i];
            switch (c)
            {
                case '(':
                    OpenGroup();
                    break;
                case ')':
                    CloseGroup();
                    break;
                case '|':
                    _i++;
                    _operandWeight = null;
                    _afterRepeat = false;
                    break;
                case '*' or '+' or '?':
                    _i++;
                    Repeat(c.ToString(), 0, -1);
                    break;
                case '{':
                    if (TryRepeatCount(out var min, out var max, out var text))
                    {
                        Repeat(text, min, max);
                    }
                    else
                    {
                        _i++;
                        Operand();
                    }
                    break;
                case '[':
                    Class();
                    Operand();
                    break;
                case '\\':
                    TopEscape();
                    break;
                default:
                    NextRune();
                    Operand();
                    break;
            }
        }

        private void OpenGroup()
        {
            if (At("(?=") || At("(?!") || At("(?<=") || At("(?<!"))
            {
                throw new InvalidPattern("RE2 does not support lookaround ((?=, (?!, (?<=, (?<!)");
            }
            if (At("(?>"))
            {
                throw new InvalidPattern("RE2 does not support atomic (possessive) groups (?>…)");
            }
            if (At("(?("))
            {
                throw new InvalidPattern("RE2 does not support conditionals (?(…)");
            }
            if (At("(?#"))
            {
                throw new InvalidPattern(Invalid("comments (?#…) are not supported"));
            }
            if (At("(?P<") || At("(?<"))
            {
                var start = _p.IndexOf('<', _i) + 1;
                var end = _p.IndexOf('>', start);
                var name = end < 0 ? "" : _p[start..end];
                if (end < 0 || name.Length == 0 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_'))
                {
                    throw new InvalidPattern(Invalid("a group name is letters, digits and _ between < and >"));
                }
                _i = end + 1;
                Push();
                return;
            }
            if (At("(?"))
            {
                Flags();
                return;
            }
            _i++;
            Push();
        }

        /// <summary><c>(?flags)</c> or <c>(?flags:</c>: flags from imsU, at most one '-', which needs a flag after it.</summary>
        private void Flags()
        {
            var start = _i;
            _i += 2;
            var negated = false;
            var flagAfterMinus = false;
            while (_i < _p.Length)
            {
                var c = _p[_i++];
                switch (c)
                {
                    case 'i' or 'm' or 's' or 'U':
                        flagAfterMinus |= negated;
                        break;
                    case '-' when !negated:
                        negated = true;
                        break;
                    case ':' or ')' when !negated || flagAfterMinus:
                        if (c == ':')
                        {
                            Push();
                        }
                        return;
                    default:
                        throw new InvalidPattern(c == '\''
                            ? Invalid("named groups are written (?P<name>…) or (?<name>…), not (?'name'…)")
                            : Invalid($"\"{_p[start.._i]}\" is not a group or flags RE2 knows (flags are i, m, s, U; a '-' needs a flag after it)"));
                }
            }
            throw new InvalidPattern(Invalid("missing closing )"));
        }

        private void Push()
        {
            if (_groupWeights.Count >= MaxDepth)
            {
                throw new InvalidPattern(Invalid($"groups nest more than {MaxDepth} deep"));
            }
            _groupWeights.Push(_weight);
            _weight = 1;
            _operandWeight = null;
            _afterRepeat = false;
        }

        private void CloseGroup()
        {
            if (_groupWeights.Count == 0)
            {
                throw new InvalidPattern(Invalid("unexpected ) with no group open"));
            }
            _i++;
            var inner = _weight;
            _weight = _groupWeights.Pop();
            Operand(inner);
        }

        /// <summary>
        /// Applies a repetition to the operand before it. <paramref name="max"/> is -1 for unbounded; only counted
        /// repetitions ({n,m}) weigh, as in Go's <c>repeatIsValid</c>.
        /// </summary>
        private void Repeat(string op, int min, int max)
        {
            if (_afterRepeat)
            {
                throw new InvalidPattern(op == "+"
                    ? "RE2 does not support possessive quantifiers (*+, ++, ?+, {n}+)"
                    : Invalid($"a repetition of a repetition (\"{op}\" after another); group it with (?:…) first"));
            }
            if (_operandWeight is not { } weight)
            {
                throw new InvalidPattern(Invalid($"\"{op}\" repeats nothing"));
            }
            if (_i < _p.Length && _p[_i] == '?')
            {
                _i++;
            }
            var count = max < 0 ? min : max;
            if (op.StartsWith('{') && count > 0)
            {
                weight *= count;
                if (weight > MaxRepeat)
                {
                    throw new InvalidPattern(Invalid($"nested repetition counts multiply to more than {MaxRepeat}"));
                }
            }
            _operandWeight = weight;
            _weight = Math.Max(_weight, weight);
            _afterRepeat = true;
        }

        /// <summary><c>{n}</c>, <c>{n,}</c> or <c>{n,m}</c> at the cursor; false (cursor unmoved) when it is a literal '{'.</summary>
        private bool TryRepeatCount(out int min, out int max, out string text)
        {
            min = max = 0;
            text = "";
            var j = _i + 1;
            if (!Number(ref j, out min))
            {
                return false;
            }
            if (j < _p.Length && _p[j] == ',')
            {
                j++;
                if (j < _p.Length && _p[j] == '}')
                {
                    max = -1;
                }
                else if (!Number(ref j, out max))
                {
                    return false;
                }
            }
            else
            {
                max = min;
            }
            if (j >= _p.Length || _p[j] != '}')
            {
                return false;
            }
            text = _p[_i..(j + 1)];
            _i = j + 1;
            if (min > MaxRepeat || max > MaxRepeat || (max >= 0 && min > max))
            {
                throw new InvalidPattern(Invalid($"repeat count {text} is not within 0..{MaxRepeat} (and n ≤ m)"));
            }
            return true;
        }

        /// <summary>Decimal digits without a leading zero (as Go reads them); more than 8 digits read as too large.</summary>
        private bool Number(ref int j, out int value)
        {
            var start = j;
            while (j < _p.Length && char.IsAsciiDigit(_p[j]))
            {
                j++;
            }
            var digits = _p[start..j];
            value = 0;
            if (digits.Length == 0 || (digits.Length >= 2 && digits[0] == '0'))
            {
                return false;
            }
            value = digits.Length > 8 ? int.MaxValue : int.Parse(digits, CultureInfo.InvariantCulture);
            return true;
        }

        private void TopEscape()
        {
            if (_i + 1 >= _p.Length)
            {
                throw new InvalidPattern(Invalid("trailing \\ at the end"));
            }
            var c = _p[_i + 1];
            switch (c)
            {
                case 'A' or 'z' or 'b' or 'B':
                    _i += 2;
                    Operand();
                    return;
                case 'Q':
                    var end = _p.IndexOf("\\E", _i + 2, StringComparison.Ordinal);
                    var literal = end < 0 ? _p.Length - (_i + 2) : end - (_i + 2);
                    _i = end < 0 ? _p.Length : end + 2;
                    if (literal > 0)
                    {
                        Operand();
                    }
                    return;
                default:
                    ClassEscapeOrChar(allowClass: true);
                    Operand();
                    return;
            }
        }

        /// <summary>
        /// An escape that stands for one character (returned) or, when <paramref name="allowClass"/>, a Perl or Unicode
        /// class (returns -1).
        /// </summary>
        private int ClassEscapeOrChar(bool allowClass)
        {
            var c = _p[_i + 1];
            switch (c)
            {
                case 'd' or 'D' or 's' or 'S' or 'w' or 'W' when allowClass:
                    _i += 2;
                    return -1;
                case 'p' or 'P' when allowClass:
                    UnicodeClass();
                    return -1;
                case 'a':
                    _i += 2;
                    return 7;
                case 'f':
                    _i += 2;
                    return 12;
                case 't':
                    _i += 2;
                    return 9;
                case 'n':
                    _i += 2;
                    return 10;
                case 'r':
                    _i += 2;
                    return 13;
                case 'v':
                    _i += 2;
                    return 11;
                case 'x':
                    return Hex();
                case >= '1' and <= '7' when _i + 2 >= _p.Length || _p[_i + 2] is < '0' or > '7':
                    throw new InvalidPattern("RE2 does not support backreferences (\\1 … \\9)");
                case >= '0' and <= '7':
                {
                    // Octal: up to three digits (a lone \1..\7 would be a backreference, refused above).
                    var j = _i + 1;
                    var value = 0;
                    while (j < _p.Length && j < _i + 4 && _p[j] is >= '0' and <= '7')
                    {
                        value = (value * 8) + (_p[j++] - '0');
                    }
                    _i = j;
                    return value;
                }
                case '8' or '9':
                    throw new InvalidPattern("RE2 does not support backreferences (\\1 … \\9)");
                case 'k' or 'g':
                    throw new InvalidPattern($"RE2 does not support backreferences or subroutine calls (\\{c}…)");
                case 'C':
                    throw new InvalidPattern(Invalid("\\C (any byte) is refused by istiod's parser (Go's regexp)"));
                case 'Z':
                    throw new InvalidPattern(Invalid("\\Z is not supported; use \\z or $"));
                default:
                    if (c < 0x80 && !char.IsAsciiLetterOrDigit(c))
                    {
                        _i += 2;
                        return c;
                    }
                    throw new InvalidPattern(Invalid($"\\{c} is not an escape RE2 knows"));
            }
        }

        private int Hex()
        {
            var j = _i + 2;
            string digits;
            if (j < _p.Length && _p[j] == '{')
            {
                var end = _p.IndexOf('}', j);
                digits = end < 0 ? "" : _p[(j + 1)..end];
                j = end + 1;
            }
            else
            {
                digits = j + 2 <= _p.Length ? _p[j..(j + 2)] : "";
                j += 2;
            }
            if (digits.Length == 0 || digits.Length > 8 || !digits.All(char.IsAsciiHexDigit)
                || int.Parse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture) is var value && value > 0x10FFFF)
            {
                throw new InvalidPattern(Invalid("\\x takes two hex digits, or up to 10FFFF in braces: \\x7F, \\x{10FFFF}"));
            }
            _i = j;
            return value;
        }

        /// <summary><c>\pN</c>, <c>\p{Name}</c>, <c>\p{^Name}</c> and the <c>\P</c> forms, with the names RE2 knows (case matters).</summary>
        private void UnicodeClass()
        {
            var j = _i + 2;
            string name;
            if (j < _p.Length && _p[j] == '{')
            {
                var end = _p.IndexOf('}', j);
                if (end < 0)
                {
                    throw new InvalidPattern(Invalid("\\p{ has no closing }"));
                }
                name = _p[(j + 1)..end];
                j = end + 1;
                if (name.StartsWith('^'))
                {
                    name = name[1..];
                }
            }
            else if (j < _p.Length)
            {
                name = _p[j].ToString();
                j++;
            }
            else
            {
                throw new InvalidPattern(Invalid("\\p needs a class name"));
            }
            if (!Categories.Contains(name) && !Scripts.Contains(name))
            {
                throw new InvalidPattern(Invalid($"\"{name}\" is not a Unicode class RE2 knows (e.g. L, Lu, Greek, Han)"));
            }
            _i = j;
        }

        /// <summary>A bracketed class from the '[' at the cursor to its ']'.</summary>
        private void Class()
        {
            _i++;
            if (_i < _p.Length && _p[_i] == '^')
            {
                _i++;
            }
            var first = true;
            while (_i < _p.Length && (_p[_i] != ']' || first))
            {
                first = false;
                if (At("[:") && _p.IndexOf(":]", _i + 2, StringComparison.Ordinal) is var close and >= 0)
                {
                    var name = _p[(_i + 2)..close];
                    if (!AsciiClasses.Contains(name.StartsWith('^') ? name[1..] : name))
                    {
                        throw new InvalidPattern(Invalid($"[:{name}:] is not an ASCII class RE2 knows (e.g. [:alpha:], [:digit:])"));
                    }
                    _i = close + 2;
                    continue;
                }
                var lo = ClassChar(allowClass: true);
                if (lo < 0)
                {
                    continue;
                }
                if (_i + 1 < _p.Length && _p[_i] == '-' && _p[_i + 1] != ']')
                {
                    _i++;
                    var hi = ClassChar(allowClass: false);
                    if (hi < lo)
                    {
                        throw new InvalidPattern(Invalid($"the class range {char.ConvertFromUtf32(lo)}-{char.ConvertFromUtf32(hi)} runs backwards"));
                    }
                }
            }
            if (_i >= _p.Length)
            {
                throw new InvalidPattern(Invalid("missing closing ] of a character class"));
            }
            _i++;
        }

        /// <summary>One class member: a character (its code point) or, when allowed, a Perl/Unicode class (-1).</summary>
        private int ClassChar(bool allowClass)
        {
            if (_p[_i] != '\\')
            {
                return NextRune();
            }
            if (_i + 1 >= _p.Length)
            {
                throw new InvalidPattern(Invalid("trailing \\ at the end"));
            }
            if (!allowClass && _p[_i + 1] is 'd' or 'D' or 's' or 'S' or 'w' or 'W' or 'p' or 'P')
            {
                throw new InvalidPattern(Invalid($"a class range cannot end in \\{_p[_i + 1]}"));
            }
            if (_p[_i + 1] is 'b' or 'B' or 'A' or 'z' or 'Q' or 'E')
            {
                throw new InvalidPattern(Invalid($"\\{_p[_i + 1]} is not an escape RE2 knows inside [...]"));
            }
            return ClassEscapeOrChar(allowClass);
        }

        private int NextRune()
        {
            if (char.IsHighSurrogate(_p[_i]) && _i + 1 < _p.Length && char.IsLowSurrogate(_p[_i + 1]))
            {
                var value = char.ConvertToUtf32(_p[_i], _p[_i + 1]);
                _i += 2;
                return value;
            }
            return _p[_i++];
        }
    }
}
