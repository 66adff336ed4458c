namespace MeshDashboard.Sandbox.Admission.Istio;

/// <summary>
/// Whether Envoy can read a header value it is told to add or set: every '%' is either doubled (a literal '%') or opens a
/// variable closed by another '%', optionally with arguments: <c>%HOSTNAME%</c>, <c>%REQ(x-request-id)%</c>,
/// <c>%PER_REQUEST_STATE(["a", "b"])%</c>. Follows the states of istio/istio pkg/config/validation/header_value_validator.go
/// (itself after Envoy's parser), so what istiod refuses (<c>abcd%oijasodifj</c>) is refused here.
/// </summary>
internal static class EnvoyHeaderValue
{
    private enum State
    {
        Literal,
        VariableName,
        ExpectArray,
        ExpectString,
        InString,
        ExpectDelimiterOrEnd,
        ExpectArgsEnd,
        ExpectVariableEnd,
    }

    /// <summary>Null when the value is fine, else why not.</summary>
    public static string? Problem(string value)
    {
        var state = State.Literal;
        for (var i = 0; i < value.Length; i++)
        {
            var ch = value[i];
            var hasNext = i + 1 < value.Length;
            switch (state)
            {
                case State.Literal when ch == '%':
                    if (!hasNext)
                    {
                        return "invalid header configuration. Un-escaped %";
                    }
                    if (value[i + 1] == '%')
                    {
                        i++;
                    }
                    else
                    {
                        state = State.VariableName;
                    }
                    break;
                case State.VariableName:
                    state = ch switch
                    {
                        '%' => State.Literal,
                        '(' => State.ExpectArray,
                        _ => state,
                    };
                    break;
                case State.ExpectArray:
                    if (ch == '[')
                    {
                        state = State.ExpectString;
                    }
                    else if (ch != ' ')
                    {
                        state = State.InString;
                    }
                    break;
                case State.ExpectDelimiterOrEnd:
                    if (ch == ',')
                    {
                        state = State.ExpectString;
                    }
                    else if (ch == ']')
                    {
                        state = State.ExpectArgsEnd;
                    }
                    else if (ch != ' ')
                    {
                        return "invalid header configuration. Expecting ',', ']', or whitespace";
                    }
                    break;
                case State.ExpectString:
                    if (ch == '"')
                    {
                        state = State.InString;
                    }
                    else if (ch != ' ')
                    {
                        return "invalid header configuration. Expecting '\"'";
                    }
                    break;
                case State.InString:
                    if (ch == '\\')
                    {
                        if (!hasNext)
                        {
                            return "invalid header configuration. Un-terminated backslash in JSON string";
                        }
                        i++;
                    }
                    else if (ch == ')')
                    {
                        state = State.ExpectVariableEnd;
                    }
                    else if (ch == '"')
                    {
                        state = State.ExpectDelimiterOrEnd;
                    }
                    break;
                case State.ExpectArgsEnd:
                    if (ch == ')')
                    {
                        state = State.ExpectVariableEnd;
                    }
                    else if (ch != ' ')
                    {
                        return "invalid header configuration. Expecting ')' or whitespace";
                    }
                    break;
                case State.ExpectVariableEnd:
                    if (ch == '%')
                    {
                        state = State.Literal;
                    }
                    else if (ch != ' ')
                    {
                        return "invalid header configuration. Expecting '%' or whitespace";
                    }
                    break;
            }
        }
        return state == State.Literal ? null : $"invalid header configuration. Un-terminated variable expression '{value}'";
    }
}
