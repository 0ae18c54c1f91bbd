package io.watchroom.http.protocol;

/** The body of every HTTP error: a stable code for programs and a sentence for people. */
public record ErrorBody(String code, String message) {}
