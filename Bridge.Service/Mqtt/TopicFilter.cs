namespace Bridge.Service.Mqtt;

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
}
