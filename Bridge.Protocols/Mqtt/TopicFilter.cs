namespace Bridge.Protocols.Mqtt;

/// <summary>MQTT topic-filter matching (<c>+</c> one level, <c>#</c> the rest).</summary>
public static class TopicFilter
{
    public static bool Matches(string filter, string topic)
    {
        int f = 0, t = 0;
        while (f < filter.Length)
        {
            if (filter[f] == '#') return true;
            if (filter[f] == '+')
            {
                while (t < topic.Length && topic[t] != '/') t++;
                f++;
            }
            else
            {
                var fEnd = filter.IndexOf('/', f);
                if (fEnd < 0) fEnd = filter.Length;
                var tEnd = topic.IndexOf('/', t);
                if (tEnd < 0) tEnd = topic.Length;
                if (!filter.AsSpan(f, fEnd - f).SequenceEqual(topic.AsSpan(t, tEnd - t))) return false;
                f = fEnd;
                t = tEnd;
            }
            if (f == filter.Length) return t == topic.Length;
            // Both now stand on a '/' (or the topic has ended).
            if (t == topic.Length) return filter.AsSpan(f).SequenceEqual("/#");
            f++;
            t++;
        }
        return t == topic.Length;
    }

    /// <summary>Whether every topic <paramref name="requested"/> (a filter) can match is also matched by
    /// <paramref name="allowed"/>: what a subscription right must hold for a SUBSCRIBE to be granted.</summary>
    public static bool Covers(string allowed, string requested)
    {
        var a = allowed.Split('/');
        var r = requested.Split('/');
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] == "#") return true;
            if (i >= r.Length) return false;
            if (r[i] == "#") return false;
            if (a[i] == "+") continue;
            if (r[i] == "+" || a[i] != r[i]) return false;
        }
        return a.Length == r.Length;
    }
}
