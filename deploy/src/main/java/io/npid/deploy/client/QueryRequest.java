package io.npid.deploy.client;

import io.npid.schemas.event.Image;

/**
 * One query to send.
 *
 * @param queryId unique id, also the record key
 * @param image the image to classify
 * @param k neighbours to vote with, or null for the indexer's default
 */
public record QueryRequest(String queryId, Image image, Integer k) {}
