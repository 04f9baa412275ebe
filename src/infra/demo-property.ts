import type { NewProperty } from "../core/property/store.js";

/**
 * The property created on a first local start so a newcomer can file a complaint at once.
 * 虹港家园 with its A and B zones is the project in seed 001.
 */
export const DEMO_PROPERTY: NewProperty = {
  code: "HG",
  name: "虹港家园",
  nameEn: "Honggang Garden",
  zones: [
    { code: "A", name: "A区" },
    { code: "B", name: "B区" },
  ],
};
