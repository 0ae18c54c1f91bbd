package io.watchroom.extraction;

/** What a link is, enough to queue it: where, what it is called, how long, its picture. */
public record LinkInfo(String url, String title, Double duration, String thumbnail) {}
