using System.Text.Json;
using Convor.Application.Common.Validation;

namespace Convor.Application.UnitTests.Common.Validation;

public sealed class TextRulesTests
{
    [TestCase("Ann O'Neil")]
    [TestCase("Zoë 😀 Łukasz")]
    [TestCase("")]
    [TestCase(null)]
    public void Plain_text_is_accepted(string? value) => TextRules.IsPlainText(value).ShouldBeTrue();

    [TestCase("a\0b")]
    [TestCase("tab\t")]
    [TestCase("new\nline")]
    [TestCase("del\u007f")]
    [TestCase("c1\u0085")]
    public void Control_characters_are_refused(string value) => TextRules.IsPlainText(value).ShouldBeFalse();

    // Built at run time: an attribute cannot hold a lone surrogate (it is stored as UTF-8).
    [TestCase(0xD800, "x")]
    [TestCase(0xDC00, "x")]
    [TestCase(0xD83D, "")]
    public void Lone_surrogates_are_refused(int surrogate, string after) =>
        TextRules.IsPlainText("lone " + (char)surrogate + after).ShouldBeFalse();

    [TestCase("{\"a\":\"\\u0000\\t control characters are kept as sent\"}")]
    [TestCase("{\"emoji\":\"\\ud83d\\ude00\",\"nested\":[{\"b\":\"ok\"}]}")]
    public void Metadata_with_valid_unicode_is_accepted(string json) =>
        TextRules.IsValidUnicode(JsonDocument.Parse(json).RootElement).ShouldBeTrue();

    [TestCase("{\"a\":\"\\ud800\"}")]
    [TestCase("{\"\\udc00\":1}")]
    [TestCase("{\"a\":[1,{\"b\":\"x\\ud83d\"}]}")]
    public void Metadata_with_lone_surrogates_is_refused(string json) =>
        TextRules.IsValidUnicode(JsonDocument.Parse(json).RootElement).ShouldBeFalse();

    [Test]
    public void Metadata_with_invalid_utf8_is_refused()
    {
        byte[] json = [.. "{\"a\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        TextRules.IsValidUnicode(JsonDocument.Parse(json).RootElement).ShouldBeFalse();
    }
}
