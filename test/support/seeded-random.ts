export { seededRandom } from '../../src/domain/seeded-random';
