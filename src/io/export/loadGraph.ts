/**
 * Loads a graph model from model.json text + its weights bytes through tfjs-core's own JSON → artifacts
 * conversion (what tf.loadGraphModel(url) does after its fetches), so Node code and tests load an export
 * exactly as a page would, without a server.
 */
import * as tf from '@tensorflow/tfjs';

export async function loadGraphModelFiles(modelJson: string, weights: Uint8Array): Promise<tf.GraphModel> {
  const json = JSON.parse(modelJson) as tf.io.ModelJSON;
  const data = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return tf.loadGraphModel({
    load: () => tf.io.getModelArtifactsForJSON(json, async (manifest) => [manifest.flatMap((g) => g.weights), data]),
  });
}
